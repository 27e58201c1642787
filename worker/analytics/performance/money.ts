/**
 * Amounts in the run's base currency. A rate is how many base units one unit of the currency is worth (the
 * score run's `rates`); an amount in a currency with no rate cannot be added to the others, so its record is
 * reported and left out instead of being counted at a guessed rate.
 */
export type Rates = { base: string; rates: Readonly<Record<string, number>> };

/** The amount in base currency, or undefined when the currency has no rate. */
export function inBase(amount: number, currency: string, money: Rates): number | undefined {
  if (currency === money.base) return amount;
  const rate = money.rates[currency];
  return rate !== undefined && Number.isFinite(rate) && rate > 0 ? amount * rate : undefined;
}

/** A record left out of the figures, with the reason a person can act on. */
export type Skipped = { type: 'deal' | 'order' | 'spend'; id: string; reason: string };
