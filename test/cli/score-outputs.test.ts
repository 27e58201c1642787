/**
 * What `crm-clv score` leaves in --out when a run fails half-way through writing (in-process, so the failure
 * can be placed exactly: a disk that fills up, a row that cannot be formatted).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScore, type ScoreRunResult } from '../../worker/jobs/score-run';
import type { ScoreRunSettings } from '../../worker/pipeline/score-transactions';
import { writeScoreOutputs } from '../../worker/pipeline/write-score-outputs';
import { tempDir } from '../helpers/run-cli';

// writeFile passes through to the real one unless a test makes it fail (failOnWriteOf).
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, writeFile: jest.fn(actual.writeFile) };
});

/** 30 customers, 1–3 orders each in 2024. */
function transactions(dir: string): string {
  const lines = ['customer_id,order_id,date,amount'];
  let order = 0;
  for (let c = 0; c < 30; c++) {
    for (let k = 0; k <= c % 3; k++) {
      const month = String(1 + ((c + 4 * k) % 11)).padStart(2, '0');
      lines.push(
        `c${c},o${++order},2024-${month}-${String(1 + ((3 * c + k) % 27)).padStart(2, '0')},${12 + ((c * 7 + k * 13) % 80)}`,
      );
    }
  }
  const path = join(dir, 'tx.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function settings(file: string): ScoreRunSettings {
  return {
    transactions: file,
    format: 'generic',
    observationEnd: '2024-12-31',
    period: 'week',
    model: 'auto',
    clvMonths: 12,
    monthlyDiscountRate: 0.01,
    margin: 1,
    acquisitionCost: 0,
    penalizer: 0,
    baseCurrency: 'USD',
    currencyRates: {},
    excludeAnomalies: false,
    churnWindowDays: 90,
    insights: false,
  };
}

const PREVIOUS = ['scores.csv', 'quality.json', 'report.json', 'report.md', 'report.html'];

/** An --out directory holding an earlier run's results (marked so any change shows). */
function outWithPreviousRun(): string {
  const out = tempDir('outputs');
  for (const name of PREVIOUS) writeFileSync(join(out, name), `earlier run: ${name}\n`);
  return out;
}

/** Makes writing a file whose name ends with `name` fail as on a full disk. */
function failOnWriteOf(name: string): void {
  const real = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises').writeFile;
  jest.mocked(writeFile).mockImplementation(async (path, ...rest) => {
    if (String(path).endsWith(name)) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${String(path)}'`), {
        code: 'ENOSPC',
      });
    }
    return real(path, ...rest);
  });
}

/** The same result, but formatting the scores.csv row of customer `at` throws (after earlier rows were written). */
function failingAtRow(result: ScoreRunResult['result'], at: number): ScoreRunResult['result'] {
  const ids = new Proxy(result.summary.ids, {
    get(target, key, receiver) {
      if (key === String(at)) throw new Error(`cannot format customer ${at}`);
      return Reflect.get(target, key, receiver);
    },
  });
  return { ...result, summary: { ...result.summary, ids } };
}

describe('a score run that fails half-way through writing its outputs', () => {
  let scored: ScoreRunResult;
  beforeAll(async () => {
    const dir = tempDir('outputs-input');
    scored = await runScore({
      settings: settings(transactions(dir)),
      tenant: 'csv-test',
      source: 'csv',
      engineVersion: 'test',
    });
  });
  afterEach(() => {
    const real = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises').writeFile;
    jest.mocked(writeFile).mockImplementation(real);
  });

  const cases: [string, (out: string) => Promise<unknown>][] = [
    [
      'while writing scores.csv',
      (out) => writeScoreOutputs(out, failingAtRow(scored.result, 20), scored.run),
    ],
    [
      'after scores.csv, when the disk fills up',
      (out) => {
        failOnWriteOf('report.md');
        return writeScoreOutputs(out, scored.result, scored.run);
      },
    ],
  ];

  it.each(cases)('%s, leaves the earlier files untouched and no half-written one', async (_, write) => {
    const out = outWithPreviousRun();
    await expect(write(out)).rejects.toThrow(/cannot format customer 20|ENOSPC/);
    for (const name of PREVIOUS) expect(readFileSync(join(out, name), 'utf8')).toBe(`earlier run: ${name}\n`);
    expect(readdirSync(out).sort()).toEqual([...PREVIOUS].sort());
  });

  it('as a whole run, removes the earlier results and says so in the error', async () => {
    const out = outWithPreviousRun();
    failOnWriteOf('report.md');
    const dir = tempDir('outputs-run');
    const failure = runScore({
      settings: settings(transactions(dir)),
      tenant: 'csv-test',
      source: 'csv',
      engineVersion: 'test',
      outDir: out,
    });
    await expect(failure).rejects.toThrow(
      /ENOSPC[\s\S]*removed the previous run's scores\.csv, quality\.json/,
    );
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'scores.csv'))).toBe(false);
  });
});
