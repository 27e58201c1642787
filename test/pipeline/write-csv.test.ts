import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCell, formatNumber, writeCsv } from '../../worker/pipeline/write-csv';
import { tempDir } from '../helpers/run-cli';

describe('CSV writing', () => {
  it('formats numbers at 6 decimals without trailing zeros, and non-finite values as empty', () => {
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1.23456789)).toBe('1.234568');
    expect(formatNumber(-0.0000001)).toBe('0');
    expect(formatNumber(123456789.5)).toBe('123456789.5');
    expect(formatNumber(NaN)).toBe('');
    expect(formatNumber(Infinity)).toBe('');
  });

  it('quotes text cells that need it', () => {
    expect(formatCell('a,b')).toBe('"a,b"');
    expect(formatCell('say "hi"')).toBe('"say ""hi"""');
    expect(formatCell(null)).toBe('');
  });

  it('writes a header and every row', async () => {
    const path = join(tempDir('csv'), 'out.csv');
    await writeCsv(path, ['id', 'value'], 3, (i) => [`c${i}`, i / 4]);
    expect(readFileSync(path, 'utf8')).toBe('id,value\nc0,0\nc1,0.25\nc2,0.5\n');
  });
});
