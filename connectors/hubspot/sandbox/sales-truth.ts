/**
 * What the demo portal's sales figures truly are, computed from the generator's own parameters and latent
 * draws (seed-portal.ts), never from the analytics: acceptance tests compare the engine's estimates with it.
 * - Reps: each owner's win probability (repWinProbabilities).
 * - Channels: a known cost to acquire one customer per first-touch source (CHANNEL_CAC), so the spend table
 *   is CAC × customers acquired that month; and each customer's true expected CLV, from its BG/NBD λ and p,
 *   whether it is still alive, and its mean deal amount (Fader, Hardie & Lee 2005: an active customer's
 *   purchase intensity s weeks on is λ·e^(−λps), since it drops out after a purchase with probability p), over
 *   the run's horizon and monthly discount as the run counts them (months of 4.345 weeks, each month's
 *   purchases discounted by (1 + d)^i, shared/DESIGN.md Conventions), net of the refunded share of deals
 *   (the engine nets refunds), converted to the run's currency.
 * - Channels, as far as a history can tell: each customer's expected CLV given its purchase history and the
 *   generator's population parameters (bgnbd-posterior.ts), its latent λ, p and alive state integrated out.
 *   The latent value differs from it by what no history reveals (a customer acquired last week with a high λ,
 *   one that dropped out after its last purchase); over a channel of a few thousand customers that alone
 *   moves the channel's CLV by ±10% (seed 23, 30,000 contacts: by 13% for one channel), so a predictor is
 *   held to this value per channel and to the latent one in total.
 */
import { bgNbdGrid, onGrid, posteriorAliveValue, type BgNbdHistory } from './bgnbd-posterior';
import {
  BGNBD,
  DEFAULT_OBSERVATION_END,
  meanDealAmount,
  REFUND_SHARE,
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

/** The run's month in weeks (lifetimes' convention, shared/DESIGN.md). */
const WEEKS_PER_MONTH = 4.345;
const WEEK_MS = 7 * 86_400_000;

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
  /** Expected CLV given the customers' histories (SalesTruth.historyClv), and its CLV:CAC. */
  historyTotalClv: number;
  historyClvToCac: number;
};

export type SalesTruth = {
  repWinProbability: Map<string, number>;
  spend: { channel: string; month: string; spend: number }[];
  channels: Map<string, ChannelTruth>;
  /** Customer's true expected CLV by contact id (acquired customers only). */
  clv: Map<string, number>;
  /** Customer's expected CLV given its purchase history and the generator's parameters (acquired only). */
  historyClv: Map<string, number>;
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
  const historyClv = new Map<string, number>();
  const grid = bgNbdGrid(BGNBD);
  const aliveValues = onGrid(grid, (l, p) => alivePurchases(l, p, options));
  const endMs = Date.parse(seed.observationEnd ?? DEFAULT_OBSERVATION_END);
  const channelOf = new Map<string, string>();
  for (const draw of draws) {
    const first = draw.wonDeals.find((d) => !d.refunded);
    if (first === undefined) continue;
    const month = new Date(first.closeMs).toISOString().slice(0, 7);
    const key = `${draw.source}\u0000${month}`;
    spendOf.set(key, (spendOf.get(key) ?? 0) + CHANNEL_CAC[draw.source]);
    const perPurchase = netDealValue(draw, seed.seed, options);
    const value = draw.alive ? perPurchase * alivePurchases(draw.lambda!, draw.dropout!, options) : 0;
    const known = perPurchase * posteriorAliveValue(grid, historyOf(draw, endMs), aliveValues);
    clv.set(draw.id, value);
    historyClv.set(draw.id, known);
    channelOf.set(draw.id, draw.source);
    let c = channels.get(draw.source);
    if (c === undefined)
      channels.set(
        draw.source,
        (c = {
          channel: draw.source,
          customers: 0,
          totalClv: 0,
          spend: 0,
          clvToCac: 0,
          historyTotalClv: 0,
          historyClvToCac: 0,
        }),
      );
    c.customers++;
    c.totalClv += value;
    c.historyTotalClv += known;
    c.spend += CHANNEL_CAC[draw.source];
  }
  for (const c of channels.values()) {
    c.clvToCac = c.totalClv / c.spend;
    c.historyClvToCac = c.historyTotalClv / c.spend;
  }
  const spend = [...spendOf].map(([key, value]) => {
    const [channel, month] = key.split('\u0000');
    return { channel, month, spend: value };
  });
  return { repWinProbability, spend, channels, clv, historyClv, channelOf };
}

/**
 * Discounted purchases of a customer alive now, as the run counts them: Σ_{i=1..H} [E X(i·m) − E X((i−1)·m)] /
 * (1 + d)^i, with E X(s) = (1 − e^(−λps))/p the expected purchases in s weeks (λs when p = 0).
 */
function alivePurchases(lambda: number, p: number, options: SalesTruthOptions): number {
  const expected = (s: number) => (p > 0 ? -Math.expm1(-lambda * p * s) / p : lambda * s);
  let total = 0;
  let discount = 1;
  for (let i = 1; i <= options.clvMonths; i++) {
    discount /= 1 + options.monthlyDiscountRate;
    total += (expected(i * WEEKS_PER_MONTH) - expected((i - 1) * WEEKS_PER_MONTH)) * discount;
  }
  return total;
}

/** Mean value of one of the customer's deals in the run's currency, net of the share refunded. */
function netDealValue(draw: ContactDraw, seed: number, options: SalesTruthOptions): number {
  const rate = draw.currency === options.currency ? 1 : options.rates[draw.currency];
  if (rate === undefined) throw new RangeError(`no rate for ${draw.currency}`);
  return meanDealAmount(draw, options.amountSamples ?? 200, seed) * (1 - REFUND_SHARE) * rate;
}

/** The generator's purchases (refunded ones too: each was a purchase) as a BG/NBD history in weeks. */
function historyOf(draw: ContactDraw, endMs: number): BgNbdHistory {
  const first = draw.wonDeals[0].closeMs;
  const last = draw.wonDeals[draw.wonDeals.length - 1].closeMs;
  return { x: draw.wonDeals.length - 1, tx: (last - first) / WEEK_MS, T: (endMs - first) / WEEK_MS };
}
