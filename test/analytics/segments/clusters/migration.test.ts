import {
  migrationMatrix,
  migrationMatrixOfRows,
  NONE,
} from '../../../../worker/analytics/segments/clusters/migration';

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

  it('counts the same from the current run as rows: only newcomers, only departures', () => {
    const previous = new Map([
      ['a', 'seg-1'],
      ['b', 'seg-2'],
    ]);
    // Newcomer e, nobody left: a NONE row, no NONE column.
    const joined = migrationMatrixOfRows(previous, ['a', 'b', 'e'], ['seg-2', 'seg-2', 'seg-1']);
    expect(joined.from).toEqual(['seg-1', 'seg-2', NONE]);
    expect(joined.to).toEqual(['seg-1', 'seg-2']);
    expect(joined.counts).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    expect(joined.stayedShare).toBe(0.5);
    // b left, nobody joined: a NONE column, no NONE row.
    const left = migrationMatrixOfRows(previous, ['a'], ['seg-1']);
    expect(left.from).toEqual(['seg-1', 'seg-2']);
    expect(left.to).toEqual(['seg-1', NONE]);
    expect(left.counts).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(left.rowShares).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(left.stayedShare).toBe(1);
  });
});
