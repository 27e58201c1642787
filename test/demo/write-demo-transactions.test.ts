import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeTransactionsCsv } from '../../worker/demo/write-demo-transactions';

describe('writeTransactionsCsv', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'crm-clv-demo-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a generic-layout CSV whose rows match the summary', async () => {
    const file = path.join(dir, 'transactions.csv');
    const progress: number[] = [];
    const result = await writeTransactionsCsv(
      file,
      { customers: 2000, seed: 5 },
      { onProgress: (n) => progress.push(n), progressEvery: 1000 },
    );
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('customer_id,order_id,date,amount,product_id,quantity,unit_price,channel,currency');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(result.rows);
    expect(Buffer.byteLength(text)).toBe(result.bytes);
    expect(result.gzip).toBe(false);
    expect(result.options.seed).toBe(5);
    expect(result.options.end).toBe('2024-12-31'); // demo default kept
    expect(progress[0]).toBe(1000);
    expect(await readdir(dir)).toEqual(['transactions.csv']);
  });

  it('gzips when the path ends in .gz, with the same content as the plain file', async () => {
    const plain = path.join(dir, 'a.csv');
    const gz = path.join(dir, 'a.csv.gz');
    await writeTransactionsCsv(plain, { customers: 300, seed: 8 });
    const result = await writeTransactionsCsv(gz, { customers: 300, seed: 8 });
    expect(result.gzip).toBe(true);
    expect(gunzipSync(await readFile(gz)).toString('utf8')).toBe(await readFile(plain, 'utf8'));
  });

  it('rejects bad options before creating any file', async () => {
    await expect(writeTransactionsCsv(path.join(dir, 'x.csv'), { end: 'soon' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
