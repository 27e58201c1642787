/**
 * CSV cells written as bytes read back as formatCell's text: numbers at 6 decimals in their shortest form,
 * text quoted when it needs it, any Unicode in UTF-8.
 */
import { CsvBytes } from '../../worker/pipeline/csv-bytes';
import { formatCell, type Cell } from '../../worker/pipeline/write-csv';
import { createRandom } from '../../worker/analytics/math/random';

function line(cells: readonly Cell[]): string {
  const out = new CsvBytes(4);
  cells.forEach((c, j) => {
    if (j > 0) out.comma();
    out.cell(c);
  });
  out.endLine();
  return Buffer.from(out.take()).toString('utf8');
}

describe('CSV cells as bytes', () => {
  it('write the hand-worked numbers and texts', () => {
    expect(line([1, 0.1 + 0.2, 1.23456789, -0.0000001, -0.000005, 123456789.5, NaN, -Infinity])).toBe(
      '1,0.3,1.234568,0,-0.000005,123456789.5,,\n',
    );
    expect(line([1e10, 2.5e9 + 0.000001, -42, 0.00005, 1e20])).toBe(
      '10000000000,2500000000.000001,-42,0.00005,100000000000000000000\n',
    );
    expect(line(['a,b', 'say "hi"', 'plain', '', null, undefined, 'two\nlines'])).toBe(
      '"a,b","say ""hi""",plain,,,,"two\nlines"\n',
    );
    expect(line(['Café, "crème"', 'naïve', '😀|x'])).toBe('"Café, ""crème""",naïve,😀|x\n');
  });

  it('read back as formatCell for any number', () => {
    const random = createRandom(7);
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const scale = 10 ** Math.floor(random.uniform() * 24 - 8);
      values.push((random.uniform() - 0.3) * scale, Math.round(random.uniform() * 1e6) / 1e6);
    }
    expect(line(values)).toBe(values.map(formatCell).join(',') + '\n');
  });
});
