import { migrationMatrix, NONE } from '../../../../worker/analytics/segments/clusters/migration';

describe('migrationMatrix', () => {
  it('counts moves, newcomers and departures with row shares', () => {
    const previous = new Map([
      ['a', 'seg-1'],
      ['b', 'seg-1'],
      ['c', 'seg-2'],
      ['d', 'seg-2'],
    ]);
    const current = new Map([
      ['a', 'seg-1'],
      ['b', 'seg-2'],
      ['c', 'seg-2'],
      ['e', 'seg-10'],
    ]);
    const m = migrationMatrix(previous, current);
    expect(m.from).toEqual(['seg-1', 'seg-2', NONE]);
    expect(m.to).toEqual(['seg-1', 'seg-2', 'seg-10', NONE]);
    expect(m.counts).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 1],
      [0, 0, 1, 0],
    ]);
    expect(m.rowShares).toEqual([
      [0.5, 0.5, 0, 0],
      [0, 0.5, 0, 0.5],
      [0, 0, 1, 0],
    ]);
    // a and c stayed among the three customers present in both runs.
    expect(m.stayedShare).toBeCloseTo(2 / 3, 12);
  });

  it('has no NONE row or column when the customers are the same', () => {
    const m = migrationMatrix(new Map([['a', 'seg-2']]), new Map([['a', 'seg-3']]));
    expect(m.from).toEqual(['seg-2']);
    expect(m.to).toEqual(['seg-3']);
    expect(m.counts).toEqual([[1]]);
    expect(m.stayedShare).toBe(0);
  });
});
