/**
 * `crm-clv score` on input that must not become a wrong number: implausible amounts, a file that is not
 * UTF-8, a calibration end outside the data; and what a failed run leaves in --out.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRows } from '../helpers/read-csv';
import { runCli, tempDir } from '../helpers/run-cli';

const HEADER = 'customer_id,order_id,date,amount';

/** 12 customers with 1–4 orders each in 2024, amounts 10–98. */
function ordinaryRows(): string[] {
  const rows: string[] = [];
  let order = 0;
  for (let c = 0; c < 12; c++) {
    for (let k = 0; k <= c % 4; k++) {
      const month = 1 + ((c + 3 * k) % 11);
      const day = 3 + ((7 * c + 5 * k) % 25);
      const date = `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      rows.push(`c${c},o${++order},${date},${10 + ((c * 17 + k * 29) % 89)}`);
    }
  }
  return rows;
}

function write(dir: string, name: string, lines: string[], encoding: BufferEncoding = 'utf8'): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from([HEADER, ...lines].join('\n') + '\n', encoding));
  return path;
}

function score(transactions: string, out: string, ...extra: string[]) {
  return runCli([
    'score',
    '--transactions',
    transactions,
    '--format',
    'generic',
    '--observation-end',
    '2024-12-31',
    '--out',
    out,
    ...extra,
  ]);
}

/** First and last purchase day of ordinaryRows(), and the day before the last, read off the rows. */
function purchaseDays(): { first: string; last: string; dayBeforeLast: string } {
  const days = ordinaryRows()
    .map((l) => l.split(',')[2])
    .sort();
  const last = days[days.length - 1];
  const before = new Date(Date.parse(`${last}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { first: days[0], last, dayBeforeLast: before };
}

const RESULTS = [
  'scores.csv',
  'recommendations.csv',
  'quality.json',
  'report.json',
  'report.md',
  'report.html',
];

function resultsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => RESULTS.includes(f)) : [];
}

describe('crm-clv score with implausible amounts', () => {
  it('excludes amounts of 1e308 and 1e15 under implausible_amount, counts them and scores the rest', () => {
    const dir = tempDir('implausible');
    const rows = ordinaryRows();
    const file = write(dir, 'tx.csv', [...rows, 'c1,x1,2024-06-01,1e308', 'c2,x2,2024-06-02,1e15']);
    const out = join(dir, 'out');
    const r = score(file, out, '--no-insights');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const quality = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8'));
    expect(quality.rowsRead).toBe(rows.length + 2);
    expect(quality.rowsExcluded.implausible_amount).toBe(2);
    const excluded = Object.values(quality.rowsExcluded as Record<string, number>).reduce((s, v) => s + v, 0);
    expect(quality.rowsUsed + excluded).toBe(quality.rowsRead);
    expect(quality.implausible).toMatchObject({ ceiling: 1e9, k: 10, orders: 2 });
    expect(r.stdout).toMatch(/implausible_amount\s+2/);

    // The customers of those rows are scored on their ordinary orders alone.
    const scores = readCsvRows(join(out, 'scores.csv'));
    const revenue = (c: string) =>
      rows.filter((l) => l.startsWith(`${c},`)).reduce((s, l) => s + Number(l.split(',')[3]), 0);
    for (const c of ['c1', 'c2']) {
      const s = scores.find((x) => x.customer_id === c)!;
      expect(Number(s.clv_historic)).toBeCloseTo(revenue(c), 6);
    }
    for (const s of scores) {
      for (const column of ['clv_historic', 'clv_predicted', 'expected_order_value'])
        expect(Number.isFinite(Number(s[column])) && s[column] !== '').toBe(true);
      expect(Number(s.clv_predicted)).toBeLessThan(1e6);
    }
  });
});

describe('crm-clv score on a file that is not UTF-8', () => {
  const latin1Rows = () => [
    ...ordinaryRows(),
    'André,a1,2024-02-01,20',
    'André,a2,2024-05-01,25',
    'Andrè,b1,2024-02-03,30',
    'Andrè,b2,2024-06-03,35',
  ];

  it('reads a Latin-1 file as Windows-1252, keeps "André" and "Andrè" apart and says so', () => {
    const dir = tempDir('latin1');
    const out = join(dir, 'out');
    const r = score(write(dir, 'tx.csv', latin1Rows(), 'latin1'), out, '--no-insights');
    expect(r.status).toBe(0);
    const ids = readCsvRows(join(out, 'scores.csv')).map((s) => s.customer_id);
    expect(ids).toContain('André');
    expect(ids).toContain('Andrè');
    expect(ids.some((id) => id.includes('\ufffd'))).toBe(false);
    expect(r.stdout).toMatch(
      /Encoding: not valid UTF-8 \(4 invalid byte sequences, the first on line \d+\): detected as Windows-1252/,
    );
    const quality = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8'));
    expect(quality.encoding).toMatchObject({
      requested: 'auto',
      used: 'windows-1252',
      invalidUtf8Sequences: 4,
    });
  });

  it('refuses it with --encoding utf-8, naming the option, and writes nothing', () => {
    const dir = tempDir('latin1-strict');
    const out = join(dir, 'out');
    const r = score(write(dir, 'tx.csv', latin1Rows(), 'latin1'), out, '--encoding', 'utf-8');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not valid UTF-8 \(read with --encoding utf-8\): line \d+ \("Andr\\xE9/);
    expect(r.stderr).toMatch(/--encoding latin1 or --encoding windows-1252/);
    expect(existsSync(out)).toBe(false);
  });

  it('reads it with --encoding latin1 as named', () => {
    const dir = tempDir('latin1-named');
    const out = join(dir, 'out');
    const r = score(
      write(dir, 'tx.csv', latin1Rows(), 'latin1'),
      out,
      '--encoding',
      'latin1',
      '--no-insights',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Encoding: read as Latin-1 \(ISO-8859-1\), as named with --encoding latin1/);
  });

  it('rejects an encoding it does not know', () => {
    const dir = tempDir('latin1-unknown');
    const r = score(write(dir, 'tx.csv', ordinaryRows()), join(dir, 'out'), '--encoding', 'ebcdic');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--encoding: encoding must be one of auto, utf-8, latin1, windows-1252/);
  });
});

describe('crm-clv score with --calibration-end outside the purchases', () => {
  it('stops with exit 2 before the first purchase and writes nothing', () => {
    const dir = tempDir('cal-before');
    const out = join(dir, 'out');
    const r = score(write(dir, 'tx.csv', ordinaryRows()), out, '--calibration-end', '2023-06-30');
    expect(r.status).toBe(2);
    const { first, dayBeforeLast } = purchaseDays();
    expect(r.stderr).toContain(`--calibration-end 2023-06-30 is before the first purchase (${first}): `);
    expect(r.stderr).toContain(`choose a day from ${first} to ${dayBeforeLast}`);
    expect(r.stderr).not.toMatch(/TypeError/);
    expect(existsSync(out)).toBe(false);
  });

  it('stops with exit 2 after the last purchase', () => {
    const dir = tempDir('cal-after');
    const out = join(dir, 'out');
    const r = score(write(dir, 'tx.csv', ordinaryRows()), out, '--calibration-end', '2024-12-15');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `--calibration-end 2024-12-15 is after the last purchase (${purchaseDays().last})`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('stops with exit 2 when nobody has bought twice by then', () => {
    const dir = tempDir('cal-norepeat');
    const r = score(
      write(dir, 'tx.csv', ordinaryRows()),
      join(dir, 'out'),
      '--calibration-end',
      '2024-01-05',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/leaves no repeat buyer in the calibration period/);
  });

  it('removes the previous run’s results from --out, so its report.html cannot pass for this run’s', () => {
    const dir = tempDir('cal-stale');
    const out = join(dir, 'out');
    const file = write(dir, 'tx.csv', ordinaryRows());
    expect(score(file, out).status).toBe(0);
    expect(resultsIn(out).sort()).toEqual([...RESULTS].sort());
    writeFileSync(join(out, 'notes.txt'), 'mine');

    const r = score(file, out, '--calibration-end', '2023-06-30');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/before the first purchase/);
    expect(r.stderr).toMatch(/removed the previous run's scores\.csv, .*report\.html from/);
    expect(resultsIn(out)).toEqual([]);
    // Not results: the segment model stays for the next --previous-run, and files of the user's stay.
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'segment-model.json']);
  });
});

describe('crm-clv score writing its outputs', () => {
  it('replaces the whole set: a --no-insights run leaves no recommendations.csv of an earlier run', () => {
    const dir = tempDir('swap');
    const out = join(dir, 'out');
    const file = write(dir, 'tx.csv', ordinaryRows());
    expect(score(file, out).status).toBe(0);
    expect(existsSync(join(out, 'recommendations.csv'))).toBe(true);
    expect(score(file, out, '--no-insights').status).toBe(0);
    expect(existsSync(join(out, 'recommendations.csv'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('fails without leaving a half-written file when a result cannot be put in place', () => {
    const dir = tempDir('blocked');
    const out = join(dir, 'out');
    // report.html is a directory of the user's: the swap cannot replace it.
    mkdirSync(join(out, 'report.html'), { recursive: true });
    writeFileSync(join(out, 'report.html', 'keep.txt'), 'x');
    writeFileSync(join(out, 'scores.csv'), 'an earlier run');
    const r = score(write(dir, 'tx.csv', ordinaryRows()), out, '--no-insights');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/report\.html/);
    expect(existsSync(join(out, 'scores.csv'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
