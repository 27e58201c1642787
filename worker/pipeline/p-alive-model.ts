/**
 * Which model's P(alive) a customer is shown. BG/NBD lets a customer drop out only right after a repeat
 * purchase, so every one-time buyer has P(alive) = 1 by construction (Fader, Hardie & Lee 2005, eq. 9 with
 * x = 0); next to a high churn risk that reads as a contradiction. P(alive) is therefore taken from a model in
 * which a one-time buyer can have left: the selected model when it is MBG/NBD (Batislam, Denizel & Filiztekin
 * 2007) or Pareto/NBD (Schmittlein, Morrison & Colombo 1987), else whichever of the two fits the data better.
 * A fit that detects no drop-out at all (its mean drop-out rate is practically zero) cannot say who has left:
 * then no P(alive) is written and the report says why, rather than showing everyone alive.
 */
import { TRANSACTION_MODELS } from '../analytics/clv/transaction-models';
import type { FittedModel, TransactionModelName } from '../analytics/clv/types';
import type { PurchaseHistory } from '../../domain/purchase-history';
import type { PipelineThreads } from './parallel/pipeline-threads';
import { tryFit } from './transaction-model-choice';

type AnyFit = FittedModel<TransactionModelName, Record<string, number>>;

/** Models in which a customer without repeat purchases can be dead. */
const DROPOUT_AT_ANY_TIME: readonly TransactionModelName[] = ['mbgnbd', 'pareto-nbd'];

/**
 * Below these mean drop-out rates the fit has found no drop-out: p = a/(a+b) per purchase for the BG family
 * (one in 10,000 purchases), μ = s/β per period for Pareto/NBD (a mean lifetime over 100,000 periods).
 */
const NO_DROPOUT = { perPurchase: 1e-4, perPeriod: 1e-5 };

export type PAliveChoice = {
  /** The model the values come from; null when no model can say. */
  model: TransactionModelName | null;
  /** Per summary row; null when none is written. */
  values: Float64Array | null;
  /** One sentence for the report: which model and why, or why none. */
  note: string;
};

/** True when a fitted transaction model's drop-out process is practically absent. */
export function detectsNoDropout(model: TransactionModelName, params: Record<string, number>): boolean {
  if (model === 'pareto-nbd') return params.s / params.beta < NO_DROPOUT.perPeriod;
  return params.a / (params.a + params.b) < NO_DROPOUT.perPurchase;
}

/** What a pipeline thread's p-alive task is sent: the selected model's and any other fits the run made. */
export type PAliveInput = {
  selected: TransactionModelName;
  fits: AnyFit[];
  summary: PurchaseHistory;
  penalizer: number;
};

/**
 * chooseProbabilityAlive on a pipeline thread (its drop-out models are fitted there when the run did not fit
 * them), so a rescore's two extra fits run beside the rest of the run.
 */
export function startProbabilityAlive(
  threads: PipelineThreads,
  input: PAliveInput,
  thread?: number,
): Promise<PAliveChoice> {
  const { frequency, recency, T } = input.summary;
  const started = threads.run<PAliveChoice>(
    'p-alive',
    { ...input, summary: { frequency, recency, T } },
    [],
    thread,
  );
  // Awaited later in the run; a failure before then (a fit that throws) must not go unhandled.
  started.catch(() => undefined);
  return started;
}

export function chooseProbabilityAlive(
  selected: TransactionModelName,
  fitted: ReadonlyMap<TransactionModelName, AnyFit>,
  summary: PurchaseHistory,
  penalizer: number,
): PAliveChoice {
  const candidates = DROPOUT_AT_ANY_TIME.includes(selected)
    ? [selected]
    : DROPOUT_AT_ANY_TIME.filter((name) => name !== selected);
  const fits: AnyFit[] = [];
  for (const name of candidates) {
    const fit =
      fitted.get(name) ??
      tryFit(name, () => TRANSACTION_MODELS[name].fit(summary, { penalizer })).fit ??
      undefined;
    if (fit !== undefined) fits.push(fit);
  }
  const usable = fits.filter((f) => !detectsNoDropout(f.model, f.params));
  if (usable.length === 0) {
    const why =
      fits.length === 0
        ? `no model with drop-out at any time could be fitted (${candidates.join(', ')})`
        : `${fits.map((f) => f.model).join(' and ')} found no drop-out in these data (mean drop-out rate below ${NO_DROPOUT.perPurchase} per purchase or ${NO_DROPOUT.perPeriod} per period)`;
    return {
      model: null,
      values: null,
      note: `No drop-out detected: ${why}, so every customer would look alive. P(alive) is not written; churn risk (from recent behaviour) is the measure to use.`,
    };
  }
  const best = usable.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
  const model = TRANSACTION_MODELS[best.model];
  const n = summary.frequency.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++)
    values[i] = model.probabilityAlive(best.params, summary.frequency[i], summary.recency[i], summary.T[i]);
  const note =
    best.model === selected
      ? `P(alive) from ${best.model}, the selected model: a customer can have left after any purchase, the first included.`
      : `P(alive) from ${best.model}, not ${selected}: in ${selected} a one-time buyer can never have left, so its P(alive) would be 1 for all of them.`;
  return { model: best.model, values, note };
}
