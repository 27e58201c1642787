/**
 * Checks of a score run's input that need the cleaned data, made before any model is fitted and any file
 * written, so a run that cannot work stops with a sentence instead of a TypeError after partial outputs.
 */
import { CrmClvError } from '../../domain/errors';
import type { CleanOrders, QualityReport } from '../analytics/clean';

const MS_PER_DAY = 86_400_000;

/** --calibration-end outside the purchases: the calibration or the holdout period would be empty. */
export class CalibrationEndError extends CrmClvError<'INVALID_OPTION'> {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/**
 * The calibration end must leave purchases on both sides: on or after the first purchase day (else no
 * customer is in the calibration period) and before the last purchase day (else the holdout has no purchase
 * to compare the models on); and by then some customer must have bought on two different days (no model can
 * be fitted without a repeat buyer). Days are UTC calendar days, yyyy-mm-dd, compared as text.
 */
export function checkCalibrationEnd(
  calibrationEnd: string | undefined,
  dateRange: QualityReport['dateRange'],
  orders: Pick<CleanOrders, 'customer' | 'time'>,
  customerCount: number,
): void {
  if (calibrationEnd === undefined || dateRange.first === null || dateRange.last === null) return;
  const first = dateRange.first.slice(0, 10);
  const last = dateRange.last.slice(0, 10);
  const range =
    first === last
      ? `all purchases are on ${first}, so there is no day to split at: leave --calibration-end out.`
      : `choose a day from ${first} to ${dayBefore(last)} (purchases run from ${first} to ${last}).`;
  if (calibrationEnd < first) {
    throw new CalibrationEndError(
      `--calibration-end ${calibrationEnd} is before the first purchase (${first}): the calibration period ` +
        `would have no customers to fit the models on; ${range}`,
    );
  }
  if (calibrationEnd >= last) {
    throw new CalibrationEndError(
      `--calibration-end ${calibrationEnd} is ${calibrationEnd === last ? 'on' : 'after'} the last purchase ` +
        `(${last}): the holdout period after it has no purchases to compare the models on; ${range}`,
    );
  }
  if (!hasRepeatBuyer(orders, customerCount, Date.parse(`${calibrationEnd}T00:00:00Z`) / MS_PER_DAY)) {
    throw new CalibrationEndError(
      `--calibration-end ${calibrationEnd} leaves no repeat buyer in the calibration period (nobody bought on ` +
        `two different days from ${first} to ${calibrationEnd}), so no model can be fitted on it; choose a ` +
        `later day, up to ${dayBefore(last)}.`,
    );
  }
}

/** Whether some customer has orders on two different UTC days on or before `endDay`. */
function hasRepeatBuyer(
  orders: Pick<CleanOrders, 'customer' | 'time'>,
  customerCount: number,
  endDay: number,
): boolean {
  const firstDay = new Float64Array(customerCount).fill(NaN);
  for (let o = 0; o < orders.customer.length; o++) {
    const day = Math.floor(orders.time[o] / MS_PER_DAY);
    if (day > endDay) continue;
    const c = orders.customer[o];
    const seen = firstDay[c];
    if (seen !== seen) firstDay[c] = day;
    else if (seen !== day) return true;
  }
  return false;
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - MS_PER_DAY).toISOString().slice(0, 10);
}
