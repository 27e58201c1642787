import {
  changedProperties,
  chunk,
  contactUpdates,
  formatPropertyValue,
  heldAsWritten,
  mergeWritten,
} from '../../../connectors/hubspot/changed-values';

describe('formatPropertyValue', () => {
  it('rounds numbers to the precision written', () => {
    expect(formatPropertyValue('clv_p_alive', 0.123456)).toBe('0.1235');
    expect(formatPropertyValue('clv_p_alive', 0.12345)).toBe('0.1235');
    expect(formatPropertyValue('clv_predicted_12m', 1234.5678)).toBe('1234.57');
    expect(formatPropertyValue('clv_historic', 10)).toBe('10');
    expect(formatPropertyValue('clv_historic', -0.001)).toBe('0');
    expect(formatPropertyValue('clv_expected_orders_12m', 2.005)).toBe('2.01');
    expect(formatPropertyValue('clv_rfm_score', '545')).toBe('545');
    expect(formatPropertyValue('clv_scored_at', new Date('2026-11-26T12:00:00Z'))).toBe(
      '2026-11-26T12:00:00.000Z',
    );
    expect(formatPropertyValue('clv_churn_risk', null)).toBe('');
  });
});

describe('changedProperties', () => {
  const last = {
    clv_rfm_score: '545',
    clv_p_alive: '0.1235',
    clv_predicted_12m: '1234.57',
    clv_churn_risk: 'low',
    clv_scored_at: '2026-11-19T12:00:00.000Z',
  };

  it('writes nothing when every value rounds to what was written, even though scoredAt moved', () => {
    expect(
      changedProperties(
        {
          clv_rfm_score: '545',
          clv_p_alive: 0.12349,
          clv_predicted_12m: 1234.5715,
          clv_churn_risk: 'low',
          clv_scored_at: '2026-11-26T12:00:00.000Z',
        },
        last,
      ),
    ).toEqual({});
  });

  it('writes only the changed properties, plus the scoring time', () => {
    expect(
      changedProperties(
        {
          clv_rfm_score: '545',
          clv_p_alive: 0.2,
          clv_predicted_12m: 1234.57,
          clv_churn_risk: 'medium',
          clv_scored_at: '2026-11-26T12:00:00.000Z',
        },
        last,
      ),
    ).toEqual({ clv_p_alive: '0.2', clv_churn_risk: 'medium', clv_scored_at: '2026-11-26T12:00:00.000Z' });
  });

  it('writes everything the first time, clears with "" only what was set, and ignores undefined', () => {
    expect(changedProperties({ clv_rfm_score: '111', clv_segment: undefined }, undefined)).toEqual({
      clv_rfm_score: '111',
    });
    expect(changedProperties({ clv_churn_risk: null, clv_segment: null }, last)).toEqual({
      clv_churn_risk: '',
    });
  });

  it('compares numbers numerically against what HubSpot echoes back ("0.20" equals 0.2)', () => {
    expect(changedProperties({ clv_p_alive: 0.2 }, { clv_p_alive: '0.20' })).toEqual({});
    expect(changedProperties({ clv_p_alive: 0.2 }, { clv_p_alive: '0.2000001' })).toEqual({});
  });
});

describe('contactUpdates and chunk', () => {
  it('writes only the contacts whose values changed', () => {
    const written = new Map([
      ['1', { clv_churn_risk: 'low' }],
      ['2', { clv_churn_risk: 'low' }],
    ]);
    const wanted: [string, Record<string, string>][] = [
      ['1', { clv_churn_risk: 'low' }],
      ['2', { clv_churn_risk: 'high' }],
      ['3', { clv_churn_risk: 'low' }],
    ];
    expect(contactUpdates(wanted, (id) => written.get(id))).toEqual([
      { id: '2', properties: { clv_churn_risk: 'high' } },
      { id: '3', properties: { clv_churn_risk: 'low' } },
    ]);
  });

  it('splits 250 inputs into batches of 100, 100 and 50 (NOTES §4.1)', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    expect(chunk(items).map((b) => b.length)).toEqual([100, 100, 50]);
    expect(chunk([])).toEqual([]);
    expect(() => chunk(items, 0)).toThrow(RangeError);
  });

  it('merges what was sent into the last-written values', () => {
    expect(mergeWritten({ a: '1', b: '2' }, { b: '3' })).toEqual({ a: '1', b: '3' });
    expect(mergeWritten(undefined, { b: '3' })).toEqual({ b: '3' });
  });
});

describe('heldAsWritten', () => {
  it('gives what HubSpot holds in the form a write of it is recorded, so equal text means the same value', () => {
    const written = formatPropertyValue('clv_predicted_12m', 1234.5);
    expect(heldAsWritten('clv_predicted_12m', '1234.50')).toBe(written);
    expect(heldAsWritten('clv_p_alive', '0.12340')).toBe(formatPropertyValue('clv_p_alive', 0.1234));
    const at = new Date('2026-11-26T12:00:00Z');
    expect(heldAsWritten('clv_scored_at', String(at.getTime()))).toBe(
      formatPropertyValue('clv_scored_at', at),
    );
    expect(heldAsWritten('clv_scored_at', '2026-11-26T12:00:00Z')).toBe(
      formatPropertyValue('clv_scored_at', at),
    );
    expect(heldAsWritten('clv_next_order_date', String(Date.parse('2026-12-01T00:00:00Z')))).toBe(
      '2026-12-01',
    );
    expect(heldAsWritten('clv_next_order_date', '2026-12-01')).toBe('2026-12-01');
    expect(heldAsWritten('clv_rfm_score', '545')).toBe('545');
  });

  it('gives "" for an empty or absent value (what a clearing write sends) and keeps unreadable text', () => {
    expect(heldAsWritten('clv_churn_risk', null)).toBe(formatPropertyValue('clv_churn_risk', null));
    expect(heldAsWritten('clv_churn_risk', undefined)).toBe('');
    expect(heldAsWritten('clv_historic', ' ')).toBe('');
    expect(heldAsWritten('clv_historic', 'n/a')).toBe('n/a');
  });
});
