import { daysFromCivil, parseTimestamp } from '../../../worker/analytics/clean/parse-timestamp';
import { parseDecimal } from '../../../worker/analytics/clean/parse-decimal';

describe('parseTimestamp', () => {
  it.each([
    ['2024-01-02', Date.UTC(2024, 0, 2)],
    ['19970101', Date.UTC(1997, 0, 1)],
    ['2010-12-01T08:26', Date.UTC(2010, 11, 1, 8, 26)],
    ['2010-12-01 08:26:59', Date.UTC(2010, 11, 1, 8, 26, 59)],
    ['2010-12-01T08:26:59Z', Date.UTC(2010, 11, 1, 8, 26, 59)],
    ['2010-12-01T08:26:59.250Z', Date.UTC(2010, 11, 1, 8, 26, 59, 250)],
    ['2010-12-01T08:26+02:00', Date.UTC(2010, 11, 1, 6, 26)],
    ['2010-12-01T08:26-0130', Date.UTC(2010, 11, 1, 9, 56)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    [' 2024-01-02 ', Date.UTC(2024, 0, 2)],
    ['1969-12-31T23:59', Date.UTC(1969, 11, 31, 23, 59)],
  ])('reads %s as UTC', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-04-31',
    '2024-01-00',
    '2024-01-02T24:00',
    '2024-01-02T10',
    '2024-01-02T10:61',
    '2024-01-02T10:00Q',
    '2024/01/02',
    '02/01/2024',
  ])('rejects %p', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });

  it('agrees with Date.UTC for every day from 1900 to 2100', () => {
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) * 86_400_000).toBe(t);
    }
  });
});

describe('parseDecimal', () => {
  it('gives exactly what Number() gives for plain decimals', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20000; i++) {
      const digits = Math.floor(random() * 4);
      const text = ((random() - 0.3) * 10 ** Math.floor(random() * 9)).toFixed(digits);
      expect(parseDecimal(text)).toBe(Number(text));
    }
    for (const text of [
      '0',
      '-0',
      '5.',
      '.5',
      '123456789012345',
      '1234567890123456',
      '0.1',
      '2.55',
      '1e3',
      ' 7 ',
    ]) {
      expect(parseDecimal(text)).toBe(Number(text));
    }
  });

  it('rejects blanks and text instead of reading them as 0', () => {
    for (const text of [undefined, '', '   ', '-', '.', 'abc', '1,5', '$3', 'Infinity', '1.2.3']) {
      expect(parseDecimal(text)).toBeNaN();
    }
  });

  it('takes a number as the value of its decimal text: parseDecimal(String(x)) for any x', () => {
    let seed = 777;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const values = [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, -123.456, 2 ** 53 + 2, 5e-324, Number.MAX_VALUE];
    for (let i = 0; i < 20000; i++) values.push((random() - 0.3) * 10 ** Math.floor(random() * 12 - 4));
    for (let i = 0; i < 2000; i++) values.push((random() * 1e4) / (1 + Math.floor(random() * 7)));
    for (const x of values) expect(Object.is(parseDecimal(x), parseDecimal(String(x)))).toBe(true);
    for (const x of [NaN, Infinity, -Infinity]) expect(parseDecimal(x)).toBeNaN();
  });
});
