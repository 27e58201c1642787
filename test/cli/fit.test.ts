import { join } from 'node:path';
import { runCli, SHARED_DATA } from '../helpers/run-cli';

const summary = join(SHARED_DATA, 'lifetimes/cdnow_customers_summary.csv');
const withSpend = join(SHARED_DATA, 'lifetimes/cdnow_customers_summary_with_transactions.csv');

function fitJson(model: string, file: string) {
  const r = runCli(['fit', '--model', model, '--summary', file, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('crm-clv fit --json (CLI contract)', () => {
  it('prints exactly the contract keys and the published BG/NBD estimates for CDNOW (Fader, Hardie & Lee 2005)', () => {
    const out = fitJson('bgnbd', summary);
    expect(Object.keys(out).sort()).toEqual([
      'converged',
      'logLikelihood',
      'model',
      'n',
      'params',
      'standardErrors',
    ]);
    expect(out.model).toBe('bgnbd');
    expect(out.n).toBe(2357);
    expect(out.converged).toBe(true);
    expect(out.params.r.toFixed(3)).toBe('0.243');
    expect(out.params.alpha.toFixed(3)).toBe('4.414');
    expect(out.params.a.toFixed(3)).toBe('0.793');
    expect(out.params.b.toFixed(3)).toBe('2.426');
    expect(out.logLikelihood.toFixed(1)).toBe('-9582.4');
    expect(Object.keys(out.standardErrors).sort()).toEqual(['a', 'alpha', 'b', 'r']);
  });

  it('fits Pareto/NBD to the published CDNOW estimates', () => {
    const out = fitJson('pareto-nbd', summary);
    expect(out.params.r.toFixed(3)).toBe('0.553');
    expect(out.params.alpha.toFixed(3)).toBe('10.578');
    expect(out.params.s.toFixed(3)).toBe('0.606');
    // β is nearly flat in the likelihood (s.e. ≈ 6): the summary CSV's 2-decimal rounding moves its maximum to
    // 11.6679. From the raw transactions it is 11.669 exactly (test/cli/score.test.ts).
    expect(Math.abs(out.params.beta - 11.669)).toBeLessThan(0.002);
    expect(out.logLikelihood.toFixed(1)).toBe('-9595.0');
  });

  it('fits Gamma-Gamma on the 946 repeat buyers (Fader & Hardie 2013: p 6.25, q 3.74)', () => {
    const out = fitJson('gamma-gamma', withSpend);
    expect(out.n).toBe(946);
    expect(out.params.p.toFixed(2)).toBe('6.25');
    expect(out.params.q.toFixed(2)).toBe('3.74');
    // The summary file rounds zbar to cents, which moves v to 15.45; from raw transactions it is 15.44
    // (see test/analytics/clv/gamma-gamma.test.ts).
    expect(Math.abs(out.params.v - 15.44)).toBeLessThan(0.01);
  });

  it('fits MBG/NBD with the parameter names of the contract', () => {
    const out = fitJson('mbgnbd', summary);
    expect(Object.keys(out.params).sort()).toEqual(['a', 'alpha', 'b', 'r']);
    expect(out.converged).toBe(true);
    // MBG/NBD nests the same data-generating story; its fit cannot be much worse than BG/NBD's.
    expect(out.logLikelihood).toBeGreaterThan(-9582.4 - 5);
  });

  it('rejects bad input with exit code 2 and a message naming the problem', () => {
    const unknown = runCli(['fit', '--model', 'weibull', '--summary', summary, '--json']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--model/);
    const missing = runCli(['fit', '--model', 'bgnbd', '--summary', '/no/such/file.csv', '--json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/\/no\/such\/file\.csv/);
    const noSpend = runCli(['fit', '--model', 'gamma-gamma', '--summary', summary, '--json']);
    expect(noSpend.status).toBe(2);
    expect(noSpend.stderr).toMatch(/monetary_value/);
  });

  it('has --help for every command', () => {
    for (const cmd of ['fit', 'predict', 'score', 'demo']) {
      const r = runCli([cmd, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: crm-clv ${cmd}`));
    }
  });
});
