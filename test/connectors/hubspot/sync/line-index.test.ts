import { LineIndex } from '../../../../connectors/hubspot/sync/line-index';

const line = (productId: string, quantity: number, unitPrice: number) => ({ productId, quantity, unitPrice });

describe('LineIndex', () => {
  it('answers like a Map of lines: the line, null for a rejected line item, undefined for an unknown id', () => {
    const lines = new LineIndex();
    lines.set('9000000001', line('41629779', 2, 19.99));
    lines.set('9000000002', null);
    lines.set('9000000005', line('41629780', 1, 0.1));

    expect(lines.get('9000000001')).toEqual(line('41629779', 2, 19.99));
    expect(lines.get('9000000002')).toBeNull();
    expect(lines.get('9000000005')).toEqual(line('41629780', 1, 0.1));
    expect(lines.get('9000000003')).toBeUndefined();
    expect(lines.has('9000000002')).toBe(true);
    expect(lines.has('9000000003')).toBe(false);
    expect(lines.size).toBe(3);
  });

  it('serializes a line exactly as the mapped OrderLine (key order and values)', () => {
    const lines = new LineIndex();
    const mapped = line('p-1', -0.5, 1234567.891);
    lines.set('17', mapped);
    expect(JSON.stringify(lines.get('17'))).toBe(JSON.stringify(mapped));
  });

  it('keeps ids out of order, non-numeric or with leading zeros, and lets the last set win', () => {
    const lines = new LineIndex();
    lines.set('20', line('a', 1, 1));
    lines.set('10', line('b', 2, 2)); // read by id after the list
    lines.set('x-7', line('c', 3, 3));
    lines.set('020', line('d', 4, 4)); // not the same id as '20'
    lines.set('20', line('e', 5, 5)); // listed again

    expect(lines.get('10')).toEqual(line('b', 2, 2));
    expect(lines.get('x-7')).toEqual(line('c', 3, 3));
    expect(lines.get('020')).toEqual(line('d', 4, 4));
    expect(lines.get('20')).toEqual(line('e', 5, 5));
    expect(lines.get('7')).toBeUndefined();
    expect(lines.size).toBe(5);
  });

  it('finds every one of many listed lines after growing, and holds nothing after clear', () => {
    const lines = new LineIndex();
    const n = 5000;
    for (let i = 0; i < n; i++)
      lines.set(String(9_000_000_001 + i * 3), i % 7 === 0 ? null : line(`p${i % 37}`, i % 5, i / 4));
    for (let i = 0; i < n; i++) {
      const id = String(9_000_000_001 + i * 3);
      expect(lines.get(id)).toEqual(i % 7 === 0 ? null : line(`p${i % 37}`, i % 5, i / 4));
      expect(lines.get(String(9_000_000_002 + i * 3))).toBeUndefined();
    }
    lines.clear();
    expect(lines.size).toBe(0);
    expect(lines.get('9000000001')).toBeUndefined();
  });
});
