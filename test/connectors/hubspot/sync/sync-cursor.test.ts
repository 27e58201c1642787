import { decodeCursor, encodeCursor, newestOf } from '../../../../connectors/hubspot/sync';

describe('sync cursors', () => {
  it('keeps the newest time and the ids modified at exactly that millisecond', () => {
    const cursor = newestOf(
      [
        { id: '1', modified: 100 },
        { id: '2', modified: 300 },
        { id: '3', modified: 300 },
        { id: '4', modified: undefined },
      ],
      undefined,
    );
    expect(cursor).toEqual({ since: 300, idsAtSince: ['2', '3'] });
    expect(newestOf([{ id: '5', modified: 300 }], cursor)).toEqual({
      since: 300,
      idsAtSince: ['2', '3', '5'],
    });
    expect(newestOf([{ id: '6', modified: 200 }], cursor)).toEqual(cursor);
    expect(newestOf([{ id: '7', modified: 400 }], cursor)).toEqual({ since: 400, idsAtSince: ['7'] });
    expect(newestOf([], undefined)).toBeUndefined();
  });

  it('round-trips through the store string, accepts bare epoch ms, and ignores garbage', () => {
    const cursor = { since: 1_700_000_000_000, idsAtSince: ['9'] };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('1700000000000')).toEqual({ since: 1_700_000_000_000, idsAtSince: [] });
    expect(decodeCursor('not json')).toBeUndefined();
    expect(decodeCursor('{"since":"x"}')).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
  });
});
