/**
 * What the demo portal's sales figures truly are, computed from the generator's own parameters and latent
 * draws (seed-portal.ts), never from the analytics: acceptance tests compare the engine's estimates with it.
 * - Reps: each owner's win probability (repWinProbabilities).
 * - Channels: a known cost to acquire one customer per first-touch source (CHANNEL_CAC), so the spend table
 *   is CAC × customers acquired that month; and each customer's true expected CLV, from its BG/NBD λ and p,
 *   whether it is still alive, and its mean deal amount (Fader, Hardie & Lee 2005: an active customer's
 *   purchase intensity t weeks on is λ·e^(−λpt), since it drops out after a purchase with probability p), over
 *   the same horizon and monthly discount as the run, converted to the run's currency.
 */
import {
  meanDealAmount,
  repWinProbabilities,
  seedPortalWithTruth,
  type ContactDraw,
  type SeedOptions,
} from './seed-portal';

/** True acquisition cost per customer by HubSpot original source, in the run's base currency. */
export const CHANNEL_CAC: Readonly<Record<string, number>> = {
  ORGANIC_SEARCH: 12,
  PAID_SEARCH: 55,
  EMAIL_MARKETING: 8,
  SOCIAL_MEDIA: 35,
  REFERRALS: 25,
  DIRECT_TRAFFIC: 5,
  OFFLINE: 90,
};

const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export type SalesTruthOptions = {
  clvMonths: number;
  monthlyDiscountRate: number;
  /** The run's base currency and units of it per unit of each other currency. */
  currency: string;
  rates: Readonly<Record<string, number>>;
  /** Monte Carlo deals per customer for its mean deal amount. */
  amountSamples?: number;
};

export type ChannelTruth = {
  channel: string;
  customers: number;
  totalClv: number;
  spend: number;
  clvToCac: number;
};

export type SalesTruth = {
  repWinProbability: Map<string, number>;
  spend: { channel: string; month: string; spend: number }[];
  channels: Map<string, ChannelTruth>;
  /** Customer's true expected CLV by contact id (acquired customers only). */
  clv: Map<string, number>;
  /** First-touch source by contact id (acquired customers only). */
  channelOf: Map<string, string>;
};

export function salesTruth(seed: SeedOptions, options: SalesTruthOptions): SalesTruth {
  const { store, draws } = seedPortalWithTruth(seed);
  const repWinProbability = repWinProbabilities(
    seed.seed,
    store.owners.map((o) => o.id),
  );
  const spendOf = new Map<string, number>();
  const channels = new Map<string, ChannelTruth>();
  const clv = new Map<string, number>();
  const channelOf = new Map<string, string>();
  for (const draw of draws) {
    const first = draw.wonDeals.find((d) => !d.refunded);
    if (first === undefined) continue;
    const month = new Date(first.closeMs).toISOString().slice(0, 7);
    const key = `${draw.source}\u0000${month}`;
    spendOf.set(key, (spendOf.get(key) ?? 0) + CHANNEL_CAC[draw.source]);
    const value = expectedClv(draw, seed.seed, options);
    clv.set(draw.id, value);
    channelOf.set(draw.id, draw.source);
    let c = channels.get(draw.source);
    if (c === undefined)
      channels.set(
        draw.source,
        (c = { channel: draw.source, customers: 0, totalClv: 0, spend: 0, clvToCac: 0 }),
      );
    c.customers++;
    c.totalClv += value;
    c.spend += CHANNEL_CAC[draw.source];
  }
  for (const c of channels.values()) c.clvToCac = c.totalClv / c.customers / (c.spend / c.customers);
  const spend = [...spendOf].map(([key, value]) => {
    const [channel, month] = key.split('\u0000');
    return { channel, month, spend: value };
  });
  return { repWinProbability, spend, channels, clv, channelOf };
}

/** E[discounted value over the horizon] = amount · ∫₀ᵀ λe^(−λpt)e^(−δt) dt = amount · λ/(λp+δ) · (1 − e^(−(λp+δ)T)). */
function expectedClv(draw: ContactDraw, seed: number, options: SalesTruthOptions): number {
  if (!draw.alive || draw.lambda === undefined || draw.dropout === undefined) return 0;
  const rate = draw.currency === options.currency ? 1 : options.rates[draw.currency];
  if (rate === undefined) throw new RangeError(`no rate for ${draw.currency}`);
  const weeks = options.clvMonths * WEEKS_PER_MONTH;
  const delta = Math.log(1 + options.monthlyDiscountRate) / WEEKS_PER_MONTH;
  const k = draw.lambda * draw.dropout + delta;
  const purchases = (draw.lambda / k) * (1 - Math.exp(-k * weeks));
  return purchases * meanDealAmount(draw, options.amountSamples ?? 200, seed) * rate;
}
