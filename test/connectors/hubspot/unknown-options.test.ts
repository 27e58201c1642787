import { unknownOptionValues } from '../../../connectors/hubspot/unknown-options';

describe('unknownOptionValues', () => {
  it('finds enumeration values the updates would write that have no option yet', () => {
    const definitions = [
      { name: 'clv_segment', type: 'enumeration', options: [{ value: 'seg-1' }] },
      { name: 'clv_churn_risk', type: 'enumeration', options: [{ value: 'low' }, { value: 'high' }] },
      { name: 'clv_rfm_score', type: 'string' },
    ];
    const unknown = unknownOptionValues(
      [
        { id: '1', properties: { clv_segment: 'seg-1', clv_churn_risk: 'medium', clv_rfm_score: '545' } },
        { id: '2', properties: { clv_segment: 'seg-2', clv_churn_risk: '' } },
        { id: '3', properties: { clv_segment: 'seg-2' } },
      ],
      definitions,
    );
    expect([...unknown].map(([name, values]) => [name, [...values]])).toEqual([
      ['clv_churn_risk', ['medium']],
      ['clv_segment', ['seg-2']],
    ]);
  });
});
