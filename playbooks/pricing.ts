/**
 * Pricing guidance: the largest discount on the next order worth offering to keep a customer.
 *
 * Framing (uplift modelling: an offer is worth what it changes, not what the customer would have done anyway;
 * Lo (2002) "The true lift model", ACM SIGKDD Explorations 4(2):78–86; Radcliffe & Surry (2011) "Real-world
 * uplift modelling with significance-based uplift trees"). With
 *   p = the customer's churn probability (Score.churnProbability),
 *   u = the assumed uplift: the share of that churn risk an accepted offer removes (config, default 0.1),
 *   V = the value kept when the customer stays: Score.clvPredicted (horizon, discounted, margin-adjusted),
 *   O = the expected next order value (Score.expectedOrderValue, else the facts' average order value),
 *   d = the discount as a fraction of the order,
 * expected value without the offer: (1 − p)·V
 * expected value with it:          (1 − p·(1 − u))·V − d·O
 * so the offer adds p·u·V − d·O, which is ≥ 0 while d ≤ p·u·V / O. The guidance is
 *   d* = floor_step( min(ceiling, max(0, p·u·V / O)) ),
 * rounded down to the configured step (5% by default; rounding down keeps the offer worth it) and never above
 * the ceiling; a d* of 0 (less than one step) means no discount is worth offering.
 *
 * Assumptions, deliberately conservative: the discount is paid on the next order whether or not the offer
 * changed anything (the "sure things" cost it too); V is the predicted CLV, which already counts the chance
 * that the customer has left, so it understates the value of a customer who stays; u is one number for every
 * customer until a treatment/control comparison (Score.retentionGroup) measures it; a discount does not change
 * the order's size. Hand-worked: p = 0.6, u = 0.1, V = 1,000, O = 250 → p·u·V/O = 60/250 = 0.24 → capped at
 * the 0.2 ceiling; with V = 400: 24/250 = 0.096 → 0.05 after rounding down to the 5% step.
 *
 * A customer in a live retention program gets what the program gives: no discount in the control arm or when
 * the program's offer is 'none' (CardFacts.programOffer); in the treatment arm of a 'pricing-guidance'
 * program, d* above, carried by the card's retention action (next-best-actions.ts).
 */
import { z } from 'zod';
import type { Score } from '../domain/score';
import type { CardFacts } from './card-facts';

export const pricingConfigSchema = z
  .object({
    /** Share of the churn probability an accepted offer removes (0 < u ≤ 1). */
    uplift: z.number().gt(0).max(1).default(0.1),
    /** The largest discount ever suggested, as a fraction of the order (0.2 = 20%). */
    ceiling: z.number().min(0).max(0.9).default(0.2),
    /** Discounts are offered in steps of this size, rounded down; less than one step is no offer. */
    step: z.number().gt(0).max(0.5).default(0.05),
  })
  .strict();

export type PricingConfig = z.infer<typeof pricingConfigSchema>;

export type PricingGuidance = {
  /** True when at least one step of discount is worth offering. */
  worthOffering: boolean;
  /** d*: a fraction of the next order, 0 … ceiling, a multiple of the step; 0 when nothing is worth it. */
  maxDiscount: number;
  /** maxDiscount × the order value, in the run's currency. */
  discountAmount: number;
  /** Why there is no discount (absent when there is one). */
  noOfferReason?:
    | 'no-churn-probability'
    | 'no-order-value'
    | 'nothing-at-stake'
    | 'less-than-one-step'
    | 'program-gives-none';
  /** The inputs and the two expected values at d*, for the rep who asks "why this much?". */
  churnProbability?: number;
  uplift: number;
  retainedValue: number;
  orderValue?: number;
  /** p·u·V / O before the ceiling and rounding. */
  breakEvenDiscount?: number;
  expectedValueWithout?: number;
  expectedValueWith?: number;
};

/** d* and its inputs for one customer (the file comment has the formula). */
export function pricingGuidance(score: Score, facts: CardFacts, config: PricingConfig): PricingGuidance {
  const p = score.churnProbability;
  const u = config.uplift;
  const V = Math.max(0, score.clvPredicted);
  const O = score.expectedOrderValue ?? facts.averageOrderValue;
  const none = (noOfferReason: NonNullable<PricingGuidance['noOfferReason']>): PricingGuidance => ({
    worthOffering: false,
    maxDiscount: 0,
    discountAmount: 0,
    noOfferReason,
    churnProbability: p,
    uplift: u,
    retainedValue: V,
    orderValue: O,
  });
  // A live program's control arm, or its treatment arm when the program's offer is 'none': the program
  // decides what these customers get, and a discount would blur what it measures.
  if (facts.programOffer === 'none') return none('program-gives-none');
  if (p === undefined) return none('no-churn-probability');
  if (O === undefined || !(O > 0)) return none('no-order-value');
  const breakEven = (p * u * V) / O;
  const capped = Math.min(config.ceiling, Math.max(0, breakEven));
  // Round down to the step; the 1e-9 keeps 0.15 / 0.05 = 2.9999999999999996 at 3 steps.
  const steps = Math.floor(capped / config.step + 1e-9);
  const d = Math.min(config.ceiling, Math.round(steps * config.step * 1e9) / 1e9);
  const expectedValueWithout = (1 - p) * V;
  const expected = {
    breakEvenDiscount: breakEven,
    expectedValueWithout,
    expectedValueWith: (1 - p * (1 - u)) * V - d * O,
  };
  if (V === 0 || p === 0) return { ...none('nothing-at-stake'), ...expected };
  if (d <= 0) return { ...none('less-than-one-step'), ...expected };
  return {
    worthOffering: true,
    maxDiscount: d,
    discountAmount: d * O,
    churnProbability: p,
    uplift: u,
    retainedValue: V,
    orderValue: O,
    ...expected,
  };
}
