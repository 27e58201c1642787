import { TRANSACTION_MODELS } from '../../worker/analytics/clv/transaction-models';
import type { FittedModel, TransactionModelName } from '../../worker/analytics/clv/types';
import { chooseProbabilityAlive, detectsNoDropout } from '../../worker/pipeline/p-alive-model';
import { loadCdnowSummary } from '../helpers/purchase-histories';

type AnyFit = FittedModel<TransactionModelName, Record<string, number>>;

const cdnow = loadCdnowSummary();
const fitOf = (name: TransactionModelName): AnyFit => TRANSACTION_MODELS[name].fit(cdnow);

describe('which P(alive) a customer is shown', () => {
  it('never shows a BG/NBD one-time buyer as certainly alive: takes a model where they can have left', () => {
    const bg = fitOf('bgnbd');
    // The premise, from Fader, Hardie & Lee (2005) eq. 9: BG/NBD's P(alive | x = 0) is exactly 1.
    const firstOneTime = cdnow.frequency.findIndex((x) => x === 0);
    expect(TRANSACTION_MODELS.bgnbd.probabilityAlive(bg.params, 0, 0, cdnow.T[firstOneTime])).toBe(1);

    const choice = chooseProbabilityAlive('bgnbd', new Map([['bgnbd', bg]]), cdnow, 0);
    expect(choice.model === 'mbgnbd' || choice.model === 'pareto-nbd').toBe(true);
    expect(choice.note).toMatch(/one-time buyer can never have left/);
    const oneTime = [...cdnow.frequency.keys()].filter((i) => cdnow.frequency[i] === 0);
    const values = choice.values!;
    // CDNOW's one-time buyers are ~60% of the cohort and most never return (lifetimes' CDNOW example):
    // their mean P(alive) must be well below 1.
    const mean = oneTime.reduce((sum, i) => sum + values[i], 0) / oneTime.length;
    expect(mean).toBeLessThan(0.8);
    expect(mean).toBeGreaterThan(0.1);
  });

  it('keeps the selected model when a one-time buyer can have left in it', () => {
    const pareto = fitOf('pareto-nbd');
    const choice = chooseProbabilityAlive('pareto-nbd', new Map([['pareto-nbd', pareto]]), cdnow, 0);
    expect(choice.model).toBe('pareto-nbd');
    expect(choice.values![5]).toBeCloseTo(
      TRANSACTION_MODELS['pareto-nbd'].probabilityAlive(
        pareto.params,
        cdnow.frequency[5],
        cdnow.recency[5],
        cdnow.T[5],
      ),
      12,
    );
  });

  it('writes no P(alive) when the fit found no drop-out, and says so', () => {
    const noDropout: AnyFit = { ...fitOf('mbgnbd'), params: { r: 0.5, alpha: 5, a: 1e-9, b: 5e6 } };
    const choice = chooseProbabilityAlive('mbgnbd', new Map([['mbgnbd', noDropout]]), cdnow, 0);
    expect(choice.values).toBeNull();
    expect(choice.note).toMatch(/^No drop-out detected/);
  });

  it('detects no drop-out from the mean drop-out rate, not from the model name', () => {
    // CDNOW's published BG/NBD (a 0.793, b 2.426) and Pareto/NBD (s 0.606, β 11.669): drop-out is real.
    expect(detectsNoDropout('bgnbd', { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 })).toBe(false);
    expect(detectsNoDropout('pareto-nbd', { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 })).toBe(false);
    // Online Retail by days sits at a ≈ 1e-9 with b in the millions (issue P4).
    expect(detectsNoDropout('bgnbd', { r: 0.8, alpha: 60, a: 1e-9, b: 3e6 })).toBe(true);
    expect(detectsNoDropout('pareto-nbd', { r: 0.8, alpha: 60, s: 1e-4, beta: 500 })).toBe(true);
  });
});
