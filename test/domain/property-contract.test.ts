import { CLV_PROPERTY_NAMES } from '../../connectors/hubspot/property-contract';
import { contractValues, runContractValues } from '../../domain/property-contract';
import type { Score, ScoreRun } from '../../domain/score';

const score: Score = {
  customerId: '17',
  segmentId: 'seg-3',
  segmentName: 'High-value loyal',
  rfmScore: '545',
  rfmSegment: "Can't Lose Them",
  clvHistoric: 120.5,
  clvPredicted: 210.4,
  expectedOrders: 3.25,
  pAlive: 0.91,
  churnProbability: 0.08,
  churnRisk: 'low',
  modelVersion: 'bgnbd/0.1.0',
  scoredAt: '2026-11-01T08:00:00.000Z',
};

const run = (clvMonths = 12): ScoreRun => ({
  runId: 'r1',
  tenant: 'hubspot-1000',
  source: 'hubspot',
  clvMonths,
  currency: 'USD',
  customers: 3,
  scoredAt: '2026-11-01T08:00:00.000Z',
  modelVersion: 'bgnbd/0.1.0',
});

describe('score → property contract values', () => {
  it('fills the contract properties with option values, leaving playbook and retention ones alone', () => {
    const values = contractValues(score);
    expect(values).toEqual({
      clv_segment: 'seg-3',
      clv_rfm_segment: 'cant_lose_them',
      clv_rfm_score: '545',
      clv_predicted_12m: 210.4,
      clv_historic: 120.5,
      clv_expected_orders_12m: 3.25,
      clv_p_alive: 0.91,
      clv_churn_probability: 0.08,
      clv_churn_risk: 'low',
      clv_next_order_date: null,
      clv_scored_at: '2026-11-01T08:00:00.000Z',
      clv_model_version: 'bgnbd/0.1.0',
    });
    for (const name of Object.keys(values)) expect(CLV_PROPERTY_NAMES).toContain(name);
    expect(values.clv_next_best_action).toBeUndefined();
    expect(values.clv_retention_group).toBeUndefined();
  });

  it('collects each segment once, for the options to add before writing', () => {
    const values = runContractValues(run(), [
      score,
      { ...score, customerId: '18' },
      { ...score, customerId: '19', segmentId: 'seg-1', segmentName: 'Occasional' },
    ]);
    expect(values.values.size).toBe(3);
    expect(values.segments).toEqual([
      { id: 'seg-3', name: 'High-value loyal' },
      { id: 'seg-1', name: 'Occasional' },
    ]);
  });

  it('refuses a run over another horizon than the 12 months the properties are named for', () => {
    expect(() => runContractValues(run(6), [score])).toThrow(/--clv-months 12/);
  });

  it('writes the top next best action title and the retention group once a Score has them', () => {
    const values = contractValues({
      ...score,
      nextBestActions: [
        { id: 'call', title: 'Call about the reorder', reason: 'due', priority: 1 },
        { id: 'mail', title: 'Send the tea guide', reason: 'interest', priority: 2 },
      ],
      retentionGroup: 'control',
    });
    expect(values.clv_next_best_action).toBe('Call about the reorder');
    expect(values.clv_retention_group).toBe('control');
  });

  it('writes the top 3 product names, the interest as an option value and the first churn driver in words', () => {
    const values = contractValues({
      ...score,
      interest: 'Christmas & seasonal',
      recommendations: ['Tea tin', 'Kettle', 'Mug', 'Spoon'].map((productName, i) => ({
        productId: `p${i}`,
        productName,
        score: 1 - i / 10,
        reason: 'often bought with tea',
      })),
      churnDrivers: [
        {
          feature: 'recency',
          contribution: 1.2,
          text: 'no order for 210 days, longer than 80% of customers',
        },
        { feature: 'tickets', contribution: 0.4, text: '2 open support tickets' },
      ],
    });
    expect(values.clv_recommended_products).toBe('Tea tin, Kettle, Mug');
    expect(values.clv_interest).toBe('christmas_seasonal');
    expect(values.clv_top_churn_driver).toBe('no order for 210 days, longer than 80% of customers');
  });

  it('cuts a text value to the 255 characters of a Salesforce Text(255) field, at a word', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const values = contractValues({
      ...score,
      churnDrivers: [{ feature: 'x', contribution: 1, text: long }],
    });
    const text = String(values.clv_top_churn_driver);
    expect(text.length).toBeLessThanOrEqual(255);
    expect(text.endsWith('…')).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
    expect(text.slice(0, -1).endsWith(' ')).toBe(false);
  });

  it('lists each interest once, for the clv_interest options', () => {
    const values = runContractValues(run(), [
      { ...score, interest: 'Tea' },
      { ...score, customerId: '18', interest: 'Tea' },
      { ...score, customerId: '19', interest: 'Gifts' },
      { ...score, customerId: '20' },
    ]);
    expect(values.interests).toEqual(['Tea', 'Gifts']);
  });
});
