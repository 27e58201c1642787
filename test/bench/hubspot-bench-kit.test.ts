import { parseBenchArgs, BenchArgsError } from '../../bench/args';
import { changedProperties, formatPropertyValue } from '../../connectors/hubspot/changed-values';
import { CLV_PROPERTY_NAMES } from '../../connectors/hubspot/property-contract';
import {
  clvDigest,
  countRequest,
  diffCounts,
  maxInWindow,
  percentiles,
  rescore,
  routeFamily,
  slidingWindowFloorSeconds,
  totalCounts,
  wantedScores,
  writeCallsFor,
  type RequestCounts,
} from '../../bench/hubspot-bench-kit';

describe('routeFamily', () => {
  it.each([
    ['POST', '/crm/v3/objects/contacts/batch/update', 'batch update contacts'],
    ['POST', '/crm/v3/objects/line_items/batch/read', 'batch read line_items'],
    ['POST', '/crm/v3/objects/deals/search', 'search deals'],
    ['GET', '/crm/v3/objects/contacts', 'list pages contacts'],
    ['GET', '/crm/v3/objects/contacts/123', 'get one contacts'],
    ['POST', '/crm/v4/associations/deals/contacts/batch/read', 'associations deals→contacts'],
    ['POST', '/crm/v3/properties/contacts/groups', 'property groups POST'],
    ['POST', '/crm/v3/properties/contacts', 'properties POST'],
    ['GET', '/crm/v3/owners/', 'owners'],
    ['GET', '/crm/v3/pipelines/deals', 'pipelines'],
  ])('%s %s → %s', (method, path, family) => {
    expect(routeFamily(method, path)).toBe(family);
  });
});

describe('request counts', () => {
  it('counts requests, 429s, errors and accepted inputs per family, and diffs snapshots', () => {
    const counts: RequestCounts = {};
    countRequest(counts, 'POST', '/crm/v3/objects/contacts/batch/update', 200, 100);
    const before = structuredClone(counts);
    countRequest(counts, 'POST', '/crm/v3/objects/contacts/batch/update', 429, 100);
    countRequest(counts, 'POST', '/crm/v3/objects/contacts/batch/update', 207, 40);
    countRequest(counts, 'GET', '/crm/v3/owners', 401, 0);
    expect(counts['batch update contacts']).toEqual({
      requests: 3,
      rateLimited: 1,
      errors: 0,
      inputsAccepted: 140,
    });
    expect(diffCounts(counts, before)).toEqual({
      'batch update contacts': { requests: 2, rateLimited: 1, errors: 0, inputsAccepted: 40 },
      owners: { requests: 1, rateLimited: 0, errors: 1, inputsAccepted: 0 },
    });
    expect(totalCounts(counts)).toEqual({ requests: 4, rateLimited: 1, errors: 1, inputsAccepted: 140 });
  });
});

describe('rate arithmetic', () => {
  it('needs ⌈changed / 100⌉ write calls', () => {
    expect([0, 1, 100, 101, 700, 100_000].map((n) => writeCallsFor(n))).toEqual([0, 1, 1, 2, 7, 1000]);
  });

  it('puts the last of 1,000 calls at 110 per 10 s after 90 s', () => {
    expect(slidingWindowFloorSeconds(1000, 110)).toBe(90);
    expect(slidingWindowFloorSeconds(110, 110)).toBe(0);
    expect(slidingWindowFloorSeconds(111, 110)).toBe(10);
    expect(slidingWindowFloorSeconds(0, 110)).toBe(0);
  });

  it('finds the busiest rolling 10 s and nearest-rank percentiles', () => {
    expect(maxInWindow([0, 1, 9_999, 10_000, 10_001])).toBe(3);
    expect(maxInWindow([0, 1, 2, 3, 10_003])).toBe(4);
    expect(maxInWindow([])).toBe(0);
    expect(percentiles([5, 1, 3, 2, 4], [50, 100])).toEqual([3, 5]);
    expect(percentiles([], [50])[0]).toBeNaN();
  });
});

describe('wanted scores', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => String(1001 + i));
  const wanted = wantedScores(ids, 42);

  it('sets every contract property of every contact, deterministically', () => {
    expect(wanted.size).toBe(2000);
    for (const values of wanted.values())
      expect(Object.keys(values).sort()).toEqual([...CLV_PROPERTY_NAMES].sort());
    expect(wantedScores(ids, 42).get('1500')).toEqual(wanted.get('1500'));
    const v = wanted.get('1001') ?? {};
    expect(Number(v.clv_p_alive)).toBeGreaterThanOrEqual(0);
    expect(Number(v.clv_p_alive)).toBeLessThanOrEqual(1);
    expect(String(v.clv_rfm_score)).toMatch(/^[1-5]{3}$/);
  });

  it('rescore changes exactly the chosen share; the rest differ only below the written precision', () => {
    const next = rescore(wanted, 14, 42);
    expect(next.changedIds.size).toBe(14);
    let changed = 0;
    for (const id of ids) {
      const written = Object.fromEntries(
        Object.entries(wanted.get(id) ?? {}).map(([k, v]) => [k, formatPropertyValue(k, v ?? null)]),
      );
      const diff = changedProperties(next.values.get(id) ?? {}, written);
      if (Object.keys(diff).length > 0) {
        changed++;
        expect(next.changedIds.has(id)).toBe(true);
        expect(diff.clv_scored_at).toBe('2026-11-27T06:00:00.000Z');
      }
    }
    expect(changed).toBe(14);
  });
});

describe('clvDigest', () => {
  it('depends on clv_* values only, ignores empty values and property order', () => {
    const a = clvDigest(['1', '2'], (id) => ({ clv_a: id, clv_b: 'x', email: 'e' }));
    expect(clvDigest(['1', '2'], (id) => ({ clv_b: 'x', clv_a: id, clv_c: '' }))).toBe(a);
    expect(clvDigest(['1', '2'], (id) => ({ clv_a: id, clv_b: 'y' }))).not.toBe(a);
  });
});

describe('bench args for the HubSpot stages', () => {
  it('keeps them out of the default run and accepts them by name with their options', () => {
    expect(parseBenchArgs([]).only).toEqual(['fit', 'generate', 'score']);
    expect(
      parseBenchArgs([
        '--only',
        'hubspot-writeback,hubspot-read',
        '--hubspot-contacts',
        '5_000',
        '--hubspot-sandbox=in-process',
        '--hubspot-concurrency',
        '2',
      ]),
    ).toMatchObject({
      only: ['hubspot-writeback', 'hubspot-read'],
      hubspotContacts: 5000,
      hubspotSandbox: 'in-process',
      hubspotConcurrency: 2,
    });
    expect(() => parseBenchArgs(['--hubspot-sandbox', 'thread'])).toThrow(BenchArgsError);
  });
});
