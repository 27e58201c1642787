import {
  clusterBaseName,
  levelOf,
  populationTerciles,
  profileOf,
  uniqueNames,
} from '../../../../worker/analytics/segments/clusters/naming';
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
    // A name kept from the previous model wins; the newcomer with the same base name is qualified.
    expect(uniqueNames(['A', 'A'], [5, 1], [null, 'A'])).toEqual(['A (lower spend)', 'A']);
  });
});
