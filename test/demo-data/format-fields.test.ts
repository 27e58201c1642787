import { isoSecond, money, paddedId } from '../../demo-data/format-fields';

describe('isoSecond', () => {
  it.each([
    [Date.UTC(1970, 0, 1), '1970-01-01T00:00:00Z'],
    [Date.UTC(2000, 1, 29, 23, 59, 59, 999), '2000-02-29T23:59:59Z'],
    [Date.UTC(2024, 11, 31, 12, 0, 7, 500), '2024-12-31T12:00:07Z'],
    [Date.UTC(1900, 2, 1), '1900-03-01T00:00:00Z'],
    [Date.UTC(2100, 1, 28, 1, 2, 3), '2100-02-28T01:02:03Z'],
  ])('formats %p as %p, truncating milliseconds', (ms, text) => {
    expect(isoSecond(ms)).toBe(text);
  });
});

describe('money', () => {
  it.each([
    [0, '0.00'],
    [0.005, '0.01'],
    [12.5, '12.50'],
    [1234.567, '1234.57'],
    [99.999, '100.00'],
  ])('formats %p as %p', (x, text) => {
    expect(money(x)).toBe(text);
  });
});

it('pads ids', () => {
  expect(paddedId('C', 42, 6)).toBe('C000042');
  expect(paddedId('O', 123456789, 8)).toBe('O123456789');
});
