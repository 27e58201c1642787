/**
 * What the report must say in words rather than leave in a table: a large holdout error, models that predict
 * the same, and a transaction-model fit at a parameter boundary, with what the product does about it.
 */
import type { ModelReport, ReportCheck, ReportedFit } from './model-report';

/** |total predicted − actual| / actual above this is called out. */
export const HOLDOUT_ERROR_LIMIT = 0.15;
/** BG family: a/(a+b), the chance of leaving after a purchase, below this is no drop-out. */
const NO_DROPOUT_PER_PURCHASE = 1e-3;
/** Pareto/NBD: s/β, the mean drop-out rate per period, below this is no drop-out. */
const NO_DROPOUT_PER_PERIOD = 1e-4;
/** A parameter outside [LOW, HIGH] sits at its bound (0 or ∞) for practical purposes. */
const LOW = 1e-4;
const HIGH = 1e5;

type Inputs = Pick<ModelReport, 'fits' | 'calibration' | 'selectedModel'> & {
  input: Pick<ModelReport['input'], 'calibrationEnd' | 'observationEnd' | 'period'>;
};

export function reportChecks(r: Inputs): ReportCheck[] {
  return [...holdoutChecks(r), ...boundaryChecks(r)];
}

function holdoutChecks(r: Inputs): ReportCheck[] {
  const c = r.calibration;
  if (!c || c.metrics.length === 0) return [];
  const out: ReportCheck[] = [];
  const off = c.metrics.filter((m) => Math.abs(m.totalError) > HOLDOUT_ERROR_LIMIT);
  const window = `after ${r.input.calibrationEnd}, to ${r.input.observationEnd}`;
  if (off.length) {
    const all = off.length === c.metrics.length;
    const plural = off.length > 1;
    const under = off.every((m) => m.totalError < 0);
    const over = off.every((m) => m.totalError > 0);
    const verb = under ? 'under-predict' : over ? 'over-predict' : 'miss';
    const errors = off.map((m) => Math.abs(m.totalError));
    const size =
      Math.max(...errors) - Math.min(...errors) < 0.01
        ? `about ${percent(errors[0], 0)}`
        : `${percent(Math.min(...errors))} to ${percent(Math.max(...errors))}`;
    const who = all && plural ? `all ${off.length} models` : list(off.map((m) => m.model));
    const action = plural ? verb : verb === 'miss' ? 'misses' : `${verb}s`;
    const predicted = off.map((m) => count(m.predictedTotal));
    const detail = predicted.every((x) => x === predicted[0])
      ? `${plural ? 'each predicts' : 'predicted'} ${predicted[0]} against ${count(off[0].actualTotal)} actual`
      : off
          .map((m) => `${m.model} ${count(m.predictedTotal)} predicted vs ${count(m.actualTotal)} actual`)
          .join('; ');
    const consequence = under
      ? 'Expected orders and predicted values are then likely too low by a similar share.'
      : over
        ? 'Expected orders and predicted values are then likely too high by a similar share.'
        : 'Treat expected orders and predicted values as rough.';
    out.push({
      kind: 'holdout-error',
      headline: holdoutHeadline(r),
      text:
        `Large holdout error: ${who} ${action} the repeat purchases of the holdout (${window}) by ${size} ` +
        `(${detail}; an error above ${percent(HOLDOUT_ERROR_LIMIT, 0)} is called out). ${consequence} ` +
        'The models assume each customer buys at a steady rate; a seasonal peak or growth in the holdout shows up as this kind of gap.',
    });
  }
  const totals = c.metrics.map((m) => m.predictedTotal);
  const spread = (Math.max(...totals) - Math.min(...totals)) / Math.max(...totals.map(Math.abs), 1e-12);
  if (c.metrics.length > 1 && spread < 0.01) {
    out.push({
      kind: 'models-agree',
      headline: null,
      text: `The ${c.metrics.length} models predict the same holdout total (within ${spread < 0.001 ? '0.1%' : '1%'}): these data do not tell them apart, so the choice between them changes little.`,
    });
  }
  return out;
}

/** For the manager: the selected model's holdout error, when it is large. */
function holdoutHeadline(r: Inputs): string | null {
  const m = r.calibration?.metrics.find((x) => x.model === r.selectedModel);
  if (!m || !(Math.abs(m.totalError) > HOLDOUT_ERROR_LIMIT)) return null;
  const under = m.totalError < 0;
  return (
    `Tested on the orders after ${r.input.calibrationEnd}, the model ${under ? 'under' : 'over'}-predicted repeat purchases by ` +
    `${percent(Math.abs(m.totalError), 0)}: predicted values are likely too ${under ? 'low' : 'high'} by a similar share.`
  );
}

function boundaryChecks(r: Inputs): ReportCheck[] {
  const unit = r.input.period;
  const sets: { label: string; fits: ReportedFit[] }[] = [{ label: 'fitted on all data', fits: r.fits }];
  if (r.calibration) sets.push({ label: 'fitted on the calibration period', fits: r.calibration.fits });
  const out: ReportCheck[] = [];
  for (const set of sets) {
    const fits = set.fits.filter((f) => !f.error && f.model !== 'gamma-gamma');
    const noDropout = fits.filter(detectsNoDropout);
    if (noDropout.length) {
      const names = noDropout.map((f) => f.model);
      const selected = names.includes(r.selectedModel);
      const allData = set.fits === r.fits;
      let consequence: string;
      if (!allData)
        consequence = `so the holdout predictions of ${list(names)} assume every customer keeps buying at their past rate.`;
      else if (selected)
        consequence =
          `so the selected model (${r.selectedModel}) predicts that every customer keeps buying at their past rate. ` +
          'What crm-clv does about it: predicted values and expected orders assume every customer is still active ' +
          '(weigh them with churn risk); P(alive) is taken from MBG/NBD or Pareto/NBD and is not written at all when ' +
          'they find no drop-out either; churn risk, from recent behaviour, is the measure of who is leaving.';
      else
        consequence = `but the selected model (${r.selectedModel}) does find drop-out, so the predicted values are not affected.`;
      out.push({
        kind: 'no-dropout',
        headline:
          allData && selected
            ? 'The purchase model sees no customers leaving for good, so predicted values assume everyone keeps buying; churn risk shows who is drifting away.'
            : null,
        text:
          `No drop-out detected (${set.label}): ${noDropout.map((f) => dropoutWords(f, unit)).join('; ')}. ` +
          `The data show no sign of customers leaving for good, ${consequence}`,
      });
    }
    for (const f of fits) {
      if (noDropout.includes(f)) continue;
      const edge = Object.entries(f.params).filter(([, v]) => v < LOW || v > HIGH);
      if (!edge.length) continue;
      out.push({
        kind: 'boundary',
        headline:
          set.fits === r.fits && f.model === r.selectedModel
            ? 'The purchase model is fitted at a limit of its range: treat its predictions as rough.'
            : null,
        text:
          `${f.model} (${set.label}) is at a parameter boundary: ${edge.map(([k, v]) => `${k} = ${number(v)} (→ ${v < LOW ? '0' : '∞'})`).join(', ')}. ` +
          'Its standard errors are not reliable and its predictions rest on a limiting case; a small --penalizer (e.g. 0.001) usually moves it off the boundary.',
      });
    }
  }
  return out;
}

export function detectsNoDropout(f: ReportedFit): boolean {
  const p = f.params;
  if (f.model === 'pareto-nbd') return p.s / p.beta < NO_DROPOUT_PER_PERIOD;
  if (f.model === 'bgnbd' || f.model === 'mbgnbd') return p.a / (p.a + p.b) < NO_DROPOUT_PER_PURCHASE;
  return false;
}

function dropoutWords(f: ReportedFit, unit: 'day' | 'week'): string {
  const p = f.params;
  if (f.model === 'pareto-nbd')
    return `${f.model} s = ${number(p.s)} → 0, mean drop-out rate s/β = ${number(p.s / p.beta)} per ${unit}`;
  const chance = p.a / (p.a + p.b);
  return `${f.model} a = ${number(p.a)} → 0, chance of leaving after a purchase a/(a+b) = ${chance < 1e-5 ? '< 0.001%' : percent(chance, 3)}`;
}

function percent(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)}%`;
}

function count(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

function number(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
