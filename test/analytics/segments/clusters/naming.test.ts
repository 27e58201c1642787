import {
  centroidTraits,
  clusterBaseName,
  columnPhrases,
  distinctNames,
  levelOf,
  populationTerciles,
  profileOf,
  uniqueNames,
} from '../../../../worker/analytics/segments/clusters/naming';
import { createRandom } from '../../../../worker/analytics/math/random';
import type { ClusterProfile, Level } from '../../../../worker/analytics/segments/clusters/types';

function withLevels(recency: Level, frequency: Level, monetary: Level, tenure: Level): ClusterProfile {
  return {
    recencyDays: 0,
    frequency: 0,
    monetary: 0,
    tenureDays: 0,
    levels: { recency, frequency, monetary, tenure },
  };
}

describe('naming rule', () => {
  it('puts values on tercile levels (≤ lower → low, > upper → high)', () => {
    expect(levelOf(10, [10, 20])).toBe('low');
    expect(levelOf(10.5, [10, 20])).toBe('mid');
    expect(levelOf(20, [10, 20])).toBe('mid');
    expect(levelOf(20.5, [10, 20])).toBe('high');
    // A one-timer centroid that came back through expm1(log1p(1)) is still "low".
    expect(levelOf(1.0000000000000002, [1, 3])).toBe('low');
  });

  it('takes terciles by nearest rank', () => {
    const t = populationTerciles({
      recencyDays: Float64Array.from([1, 2, 3, 4, 5, 6, 7]),
      frequency: Float64Array.from([1, 1, 1, 1, 1, 2, 9]),
      monetary: Float64Array.from([7, 6, 5, 4, 3, 2, 1]),
      tenureDays: Float64Array.from([0, 0, 0, 0, 0, 0, 0]),
    });
    // index ⌊(n − 1)/3⌋ = 2 and ⌊2(n − 1)/3⌋ = 4 of the sorted values.
    expect(t.recencyDays).toEqual([3, 5]);
    expect(t.frequency).toEqual([1, 1]);
    expect(t.monetary).toEqual([3, 5]);
  });

  it('names profiles by the documented table', () => {
    expect(clusterBaseName(withLevels('low', 'high', 'high', 'high'))).toBe('High-value loyal');
    expect(clusterBaseName(withLevels('low', 'high', 'mid', 'low'))).toBe('Loyal regulars');
    expect(clusterBaseName(withLevels('low', 'low', 'high', 'low'))).toBe('New big spenders');
    expect(clusterBaseName(withLevels('mid', 'low', 'low', 'low'))).toBe('New low spenders');
    expect(clusterBaseName(withLevels('low', 'mid', 'mid', 'low'))).toBe('New customers');
    expect(clusterBaseName(withLevels('low', 'mid', 'high', 'high'))).toBe('Recent big spenders');
    expect(clusterBaseName(withLevels('low', 'low', 'mid', 'mid'))).toBe('Active occasional');
    expect(clusterBaseName(withLevels('high', 'mid', 'high', 'high'))).toBe('Lapsing big spenders');
    expect(clusterBaseName(withLevels('high', 'low', 'low', 'low'))).toBe('Lost one-timers');
    expect(clusterBaseName(withLevels('high', 'mid', 'mid', 'mid'))).toBe('Lapsed occasional');
    expect(clusterBaseName(withLevels('mid', 'high', 'high', 'high'))).toBe('Cooling high-value');
    expect(clusterBaseName(withLevels('mid', 'mid', 'high', 'mid'))).toBe('Cooling big spenders');
    expect(clusterBaseName(withLevels('mid', 'high', 'mid', 'high'))).toBe('Cooling regulars');
    expect(clusterBaseName(withLevels('mid', 'low', 'low', 'high'))).toBe('Occasional low spenders');
    expect(clusterBaseName(withLevels('mid', 'mid', 'mid', 'mid'))).toBe('Occasional');
  });

  it('levels a centroid in original units against the population', () => {
    const terciles = {
      recencyDays: [20, 90] as [number, number],
      frequency: [1, 4] as [number, number],
      monetary: [300, 1200] as [number, number],
      tenureDays: [150, 300] as [number, number],
    };
    const p = profileOf({ recencyDays: 200, frequency: 1, monetary: 150, tenureDays: 250 }, terciles);
    expect(p.levels).toEqual({ recency: 'high', frequency: 'low', monetary: 'low', tenure: 'mid' });
    expect(clusterBaseName(p)).toBe('Lost one-timers');
  });

  it('qualifies colliding names by spend rank and keeps fixed names', () => {
    expect(uniqueNames(['Occasional', 'Occasional', 'Lost one-timers'], [10, 20, 5])).toEqual([
      'Occasional (lower spend)',
      'Occasional (higher spend)',
      'Lost one-timers',
    ]);
    expect(uniqueNames(['A', 'A', 'A'], [1, 3, 2])).toEqual([
      'A (spend tier 3)',
      'A (spend tier 1)',
      'A (spend tier 2)',
    ]);
    // A name kept from the previous model wins; the newcomer with the same base name is qualified against it.
    expect(uniqueNames(['A', 'A'], [5, 1], [null, 'A'])).toEqual(['A (higher spend)', 'A']);
    expect(uniqueNames(['A', 'A'], [1, 5], [null, 'A'])).toEqual(['A (lower spend)', 'A']);
  });

  describe('telling clusters with the same rule name apart', () => {
    const columns = [
      { name: 'recency', kind: 'recency' as const },
      { name: 'monetary', kind: 'monetary' as const },
      { name: 'tenure', kind: 'tenure' as const },
      { name: 'category:Bags', kind: 'category' as const },
    ];
    /** k × 4 centroids in standardised units. */
    const traits = (rows: number[][]) => centroidTraits(columns, rows.flat(), rows.length);

    it('qualifies two clusters by their strongest differing feature', () => {
      // Recency differs by 0.2, spend by 1.5: spend it is.
      expect(
        distinctNames(
          ['Occasional', 'Occasional', 'Lost one-timers'],
          traits([
            [0.1, 1.0, 0, 0],
            [0.3, -0.5, 0, 0],
            [2, -1, 0, 0],
          ]),
        ),
      ).toEqual(['Occasional (higher spend)', 'Occasional (lower spend)', 'Lost one-timers']);
      // Tenure differs most.
      expect(
        distinctNames(
          ['Occasional', 'Occasional'],
          traits([
            [0, 0.1, -1, 0],
            [0, 0.2, 1.2, 0],
          ]),
        ),
      ).toEqual(['Occasional (shorter tenure)', 'Occasional (longer tenure)']);
      // Recency is days since the last purchase: lower is more recent.
      expect(
        distinctNames(
          ['A', 'A'],
          traits([
            [1, 0, 0, 0],
            [-1, 0, 0, 0],
          ]),
        ),
      ).toEqual(['A (less recent)', 'A (more recent)']);
      // A category share.
      expect(
        distinctNames(
          ['A', 'A'],
          traits([
            [0, 0, 0, 2],
            [0, 0, 0, -1],
          ]),
        ),
      ).toEqual(['A (more Bags)', 'A (less Bags)']);
    });

    it('splits three or more at the largest gap, then on the next strongest feature', () => {
      expect(
        distinctNames(
          ['Occasional', 'Occasional', 'Occasional'],
          traits([
            [-1.5, 0, 0.3, 0], // clearly more recent than the other two
            [0.8, 0.1, 1.0, 0],
            [1.0, 0.0, -0.6, 0],
          ]),
        ),
      ).toEqual([
        'Occasional (more recent)',
        'Occasional (less recent, longer tenure)',
        'Occasional (less recent, shorter tenure)',
      ]);
    });

    it('never gives two clusters the same name', () => {
      const random = createRandom(17);
      for (let trial = 0; trial < 200; trial++) {
        const k = 2 + random.integer(19);
        const bases = Array.from({ length: k }, () => ['A', 'B'][random.integer(2)]);
        // Coarse values (many ties) to stress the splits; some clusters identical.
        const rows = Array.from({ length: k }, () => columns.map(() => random.integer(3)));
        const fixed = bases.map((b) => (random.uniform() < 0.2 ? b : null));
        const names = distinctNames(bases, traits(rows), fixed);
        expect(new Set(names).size).toBe(k);
        names.forEach((name, i) => {
          if (fixed[i] === null) expect(name.startsWith(bases[i])).toBe(true);
        });
      }
      // Identical centroids: a numeric suffix.
      expect(
        distinctNames(
          ['A', 'A'],
          traits([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
        ),
      ).toEqual(['A', 'A 2']);
    });

    it('has a phrase for every kind of column', () => {
      expect(columnPhrases({ name: 'aov', kind: 'aov' })).toEqual([
        'order value',
        'larger orders',
        'smaller orders',
      ]);
      expect(columnPhrases({ name: 'frequency', kind: 'frequency' })).toEqual([
        'frequency',
        'more frequent',
        'less frequent',
      ]);
      expect(columnPhrases({ name: 'engagement:page views', kind: 'engagement' })[1]).toBe('more page views');
    });
  });
});
