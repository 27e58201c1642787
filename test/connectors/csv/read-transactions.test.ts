import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputFormatError } from '../../../connectors/csv/errors';
import { readTransactionBatches, readTransactions } from '../../../connectors/csv/read-transactions';
import type { RawTransaction, TransactionFormat } from '../../../domain/raw-transaction';

const repoRoot = path.resolve(__dirname, '../../..');
const lifetimesData = path.resolve(repoRoot, '../shared/data/lifetimes');
const dir = mkdtempSync(path.join(tmpdir(), 'crm-clv-csv-'));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(p: string, format: TransactionFormat): Promise<RawTransaction[]> {
  const rows: RawTransaction[] = [];
  for await (const row of readTransactions(p, format)) rows.push(row);
  return rows;
}

async function formatError(p: string, format: TransactionFormat): Promise<InputFormatError> {
  try {
    await readAll(p, format);
  } catch (e) {
    if (e instanceof InputFormatError) return e;
    throw e;
  }
  throw new Error('expected an InputFormatError');
}

describe('generic layout', () => {
  it('maps columns by name in any order, ignores extra columns and keeps 1-based line numbers', async () => {
    const p = file(
      'generic.csv',
      'note,amount,date,order_id,customer_id,currency\n' +
        'x,12.50,2024-01-02,o1,c1,EUR\n' +
        '\n' +
        'y,3,2024-01-03T10:15Z,o2,c2,\n',
    );
    const rows = await readAll(p, 'generic');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      line: 2,
      customerId: 'c1',
      orderId: 'o1',
      date: '2024-01-02',
      amount: '12.50',
    });
    expect(rows[0].currency).toBe('EUR');
    expect(rows[0].productId).toBeUndefined();
    expect(rows[1]).toMatchObject({
      line: 4,
      customerId: 'c2',
      date: '2024-01-03T10:15Z',
      amount: '3',
      currency: '',
    });
  });

  it('reads quoted fields containing commas, escaped quotes and line breaks (RFC 4180)', async () => {
    const p = file(
      'quoted.csv',
      'customer_id,order_id,date,amount,product_id\r\n' +
        '"Smith, Jane",o1,2024-01-02,5,"12"" frame"\r\n' +
        'c2,o2,2024-01-02,6,"two\r\nlines"\r\n' +
        'c3,o3,2024-01-02,7,p3\r\n',
    );
    const rows = await readAll(p, 'generic');
    expect(rows.map((r) => [r.line, r.customerId, r.productId])).toEqual([
      [2, 'Smith, Jane', '12" frame'],
      [3, 'c2', 'two\nlines'],
      [5, 'c3', 'p3'],
    ]);
  });

  it('drops a UTF-8 byte-order mark and reads a last line without a line end', async () => {
    const p = file('bom.csv', '\ufeffcustomer_id,order_id,date,amount\nc1,o1,2024-01-02,1');
    const rows = await readAll(p, 'generic');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 2, customerId: 'c1', amount: '1' });
  });

  it('reports malformed lines with their line numbers instead of throwing', async () => {
    const p = file(
      'malformed.csv',
      'customer_id,order_id,date,amount\n' +
        'c1,o1,2024-01-02,1\n' +
        'c2,o2,2024-01-02\n' +
        'c3,"o3"x,2024-01-02,3\n' +
        'c4,o4,2024-01-02,4\n' +
        'c5,o5,"2024-01-02,5\n',
    );
    const rows = await readAll(p, 'generic');
    expect(rows.map((r) => [r.line, r.malformed === undefined ? 'ok' : 'malformed'])).toEqual([
      [2, 'ok'],
      [3, 'malformed'],
      [4, 'malformed'],
      [5, 'ok'],
      [6, 'malformed'],
    ]);
    expect(rows[1].malformed).toMatch(/expected 4 fields, found 3/);
    expect(rows[2].malformed).toMatch(/closing quote/);
    expect(rows[4].malformed).toMatch(/unterminated quoted field/);
  });

  it('does not let a stray quote swallow the rest of the file', async () => {
    const lines = ['customer_id,order_id,date,amount', 'c0,"o0,2024-01-02,1'];
    for (let i = 1; i <= 150; i++) lines.push(`c${i},o${i},2024-01-02,${i}`);
    const rows = await readAll(file('stray-quote.csv', `${lines.join('\n')}\n`), 'generic');
    expect(rows).toHaveLength(151);
    expect(rows[0]).toMatchObject({ line: 2 });
    expect(rows[0].malformed).toMatch(/unterminated/);
    expect(rows.slice(1).every((r) => r.malformed === undefined)).toBe(true);
    expect(rows[150]).toMatchObject({ line: 152, customerId: 'c150' });
  });

  it('throws InputFormatError naming the file, the layout and the missing columns', async () => {
    const p = file('retail-as-generic.csv', 'InvoiceNo,StockCode,Quantity\n1,2,3\n');
    const error = await formatError(p, 'generic');
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toContain(p);
    expect(error.message).toContain('generic');
    expect(error.message).toMatch(/missing customer_id, order_id, date, amount/);
    expect(error.message).toContain('InvoiceNo');
  });

  it('throws InputFormatError for an empty file', async () => {
    const error = await formatError(file('empty.csv', ''), 'generic');
    expect(error.message).toMatch(/empty/);
  });
});

describe('gzip', () => {
  const csv = 'customer_id,order_id,date,amount\nc1,o1,2024-01-02,1\nc2,o2,2024-01-03,2\n';

  it('is detected by its magic bytes, not by the file name', async () => {
    const gz = await readAll(file('compressed-without-suffix.csv', gzipSync(csv)), 'generic');
    const plain = await readAll(file('plain-with-suffix.csv.gz', csv), 'generic');
    expect(gz.map((r) => r.customerId)).toEqual(['c1', 'c2']);
    expect(plain.map((r) => r.customerId)).toEqual(['c1', 'c2']);
  });

  it('reports progress in bytes of the file on disk', async () => {
    const p = file('progress.csv', gzipSync(csv));
    const seen: [number, number][] = [];
    for await (const batch of readTransactionBatches(p, 'generic', {
      onProgress: (r, t) => seen.push([r, t]),
    })) {
      expect(batch.length).toBeGreaterThan(0);
    }
    const size = statSync(p).size;
    expect(seen[seen.length - 1]).toEqual([size, size]);
  });

  it('a corrupt gzip file is an InputFormatError', async () => {
    const broken = Buffer.concat([gzipSync(csv).subarray(0, 12), Buffer.from('not deflate data at all')]);
    const error = await formatError(file('broken.csv.gz', broken), 'generic');
    expect(error.message).toMatch(/gzip/);
  });
});

describe('online-retail layout', () => {
  it('maps the UCI columns; the amount is left to the cleaner (Quantity × UnitPrice)', async () => {
    const p = file(
      'retail.csv',
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
        '536381,82567,"AIRLINE LOUNGE,METAL SIGN",2,2010-12-01T09:41,2.1,15311,United Kingdom\n' +
        'C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-1,2010-12-01T09:49,4.65,15311,United Kingdom\n',
    );
    const rows = await readAll(p, 'online-retail');
    expect(rows[0]).toMatchObject({
      line: 2,
      orderId: '536381',
      productId: '82567',
      description: 'AIRLINE LOUNGE,METAL SIGN',
      quantity: '2',
      date: '2010-12-01T09:41',
      unitPrice: '2.1',
      customerId: '15311',
      country: 'United Kingdom',
    });
    expect(rows[0].amount).toBeUndefined();
    expect(rows[1]).toMatchObject({ orderId: 'C536383', quantity: '-1' });
  });

  it('rejects a CDNOW file', async () => {
    const error = await formatError(path.join(lifetimesData, 'CDNOW_master.txt'), 'online-retail');
    expect(error.message).toMatch(/Online Retail/);
    expect(error.message).toMatch(/customer_id/);
  });
});

describe('cdnow layout', () => {
  it('reads CDNOW_sample.txt (no header, 5 columns) with the sample id as customer id', async () => {
    const rows = await readAll(path.join(lifetimesData, 'CDNOW_sample.txt'), 'cdnow');
    expect(rows).toHaveLength(6919);
    expect(rows[0]).toMatchObject({
      line: 1,
      customerId: '1',
      date: '19970101',
      quantity: '2',
      amount: '29.33',
    });
    expect(rows[0].orderId).toBe('1-19970101-1');
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(2357);
  });

  it('reads CDNOW_master.txt (header, 4 columns): 69,659 rows, 23,570 customers', async () => {
    const rows = await readAll(path.join(lifetimesData, 'CDNOW_master.txt'), 'cdnow');
    expect(rows).toHaveLength(69659);
    expect(rows.every((r) => r.malformed === undefined)).toBe(true);
    expect(rows[0]).toMatchObject({
      line: 2,
      customerId: '1',
      date: '19970101',
      quantity: '1',
      amount: '11.77',
    });
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(23570);
  });

  it('rejects an Online Retail file', async () => {
    const p = file(
      'retail-as-cdnow.csv',
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n1,2,3,4,5,6,7,8\n',
    );
    const error = await formatError(p, 'cdnow');
    expect(error.code).toBe('INPUT_FORMAT');
    expect(error.message).toMatch(/expected a CDNOW file/);
    expect(error.message).toContain('InvoiceNo');
  });
});
