import { plainlyValidScore, scoreSchema, type Score } from '../../domain/score';

const valid: Score = {
  customerId: 'C1',
  segmentId: 's1',
  segmentName: 'High-value loyal',
  rfmScore: '545',
  rfmSegment: 'Champions',
  interest: 'Kitchen',
  clvHistoric: 120.5,
  clvPredicted: 80.25,
  clvNet: 70,
  expectedOrders: 0,
  expectedOrderValue: 40,
  pAlive: 1,
  churnProbability: 0,
  churnRisk: 'low',
  churnDrivers: [{ feature: 'recency', contribution: -0.4, text: 'ordered recently' }],
  nextOrderDate: '2025-02-28',
  recommendations: [{ productId: 'P1', productName: 'Mug', score: 0.3, reason: '' }],
  modelVersion: 'bgnbd/0.1.0',
  scoredAt: '2025-01-01T00:00:00.000Z',
};

const variants: [string, unknown][] = [
  ['valid', valid],
  [
    'minimal',
    {
      customerId: 'C',
      clvHistoric: 0,
      clvPredicted: 0,
      expectedOrders: 1,
      modelVersion: 'm',
      scoredAt: valid.scoredAt,
    },
  ],
  ['empty id', { ...valid, customerId: '' }],
  ['numeric id', { ...valid, customerId: 1 }],
  ['empty segment', { ...valid, segmentName: '' }],
  ['rfm 605', { ...valid, rfmScore: '605' }],
  ['rfm 5455', { ...valid, rfmScore: '5455' }],
  ['NaN clv', { ...valid, clvPredicted: NaN }],
  ['infinite net', { ...valid, clvNet: Infinity }],
  ['negative orders', { ...valid, expectedOrders: -1e-9 }],
  ['p alive above 1', { ...valid, pAlive: 1.0000001 }],
  ['NaN churn', { ...valid, churnProbability: NaN }],
  ['unknown risk', { ...valid, churnRisk: 'severe' }],
  ['driver without text', { ...valid, churnDrivers: [{ feature: 'f', contribution: 1, text: '' }] }],
  ['driver as array', { ...valid, churnDrivers: [['f', 1, 't']] }],
  ['drivers not an array', { ...valid, churnDrivers: {} }],
  ['29 February of a non-leap year', { ...valid, nextOrderDate: '2025-02-29' }],
  ['29 February of a leap year', { ...valid, nextOrderDate: '2024-02-29' }],
  ['extended year', { ...valid, nextOrderDate: '+10000-01-01' }],
  [
    'recommendation without name',
    { ...valid, recommendations: [{ productId: 'P', productName: '', score: 1, reason: '' }] },
  ],
  [
    'recommendation NaN score',
    { ...valid, recommendations: [{ productId: 'P', productName: 'n', score: NaN, reason: '' }] },
  ],
  ['date scoredAt', { ...valid, scoredAt: '2025-01-01' }],
  ['next best actions', { ...valid, nextBestActions: [{ id: 'a', title: 't', reason: '', priority: 1 }] }],
  ['action without title', { ...valid, nextBestActions: [{ id: 'a', title: '', reason: '', priority: 1 }] }],
  [
    'fractional priority',
    { ...valid, nextBestActions: [{ id: 'a', title: 't', reason: '', priority: 1.5 }] },
  ],
  ['action without reason', { ...valid, nextBestActions: [{ id: 'a', title: 't', priority: 1 }] }],
  ['actions not an array', { ...valid, nextBestActions: { id: 'a', title: 't', reason: '', priority: 1 } }],
  ['extra key', { ...valid, extra: 1 }],
  ['class instance', Object.assign(Object.create({ kind: 'score' }) as object, valid)],
];

describe('plainlyValidScore, the fast path of the Score check', () => {
  it.each(variants)('never accepts what the schema refuses: %s', (_, score) => {
    const schema = scoreSchema.safeParse(score).success;
    const fast = plainlyValidScore(score as Score);
    if (fast) expect(schema).toBe(true);
  });

  it('accepts the Scores a run makes', () => {
    expect(plainlyValidScore(valid)).toBe(true);
    expect(plainlyValidScore(variants[1][1] as Score)).toBe(true);
    // Every scored customer carries next best actions now: they must not push the check onto the schema.
    const withActions = variants.find(([name]) => name === 'next best actions')![1];
    expect(plainlyValidScore(withActions as Score)).toBe(true);
  });
});
