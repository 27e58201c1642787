/**
 * The pricing-guidance discounts a segment email may offer (playbooks/email, SegmentEmailContext.offer): the
 * customers in the treatment arm of a live retention program whose offer is 'pricing-guidance', each with the
 * discount the guidance finds worth offering them. Control customers and programs offering none give nothing.
 */
import type { Score, ScoreRun } from '../../domain/score';
import { pricingConfigSchema, pricingGuidance, type PricingConfig } from '../../playbooks';
import { segmentEmailContexts, type SegmentEmailContext } from '../../playbooks/email';
import { readLiveArms, type EnrolmentStore } from './program-store';

/** Customer id → discount (a fraction of the next order), for the run's treated customers with an offer. */
export async function programEmailOffers(
  store: EnrolmentStore,
  tenant: string,
  scored: { scores: readonly Score[]; currency: string },
  at: number,
  pricing: PricingConfig = pricingConfigSchema.parse({}),
): Promise<Map<string, number>> {
  const { offers } = await readLiveArms(store, tenant, at);
  const discounts = new Map<string, number>();
  if (offers.size === 0) return discounts;
  for (const score of scored.scores) {
    if (offers.get(score.customerId) !== 'pricing-guidance') continue;
    // The Score's expected order value only: the email has no per-customer order history at hand.
    const guidance = pricingGuidance(
      score,
      { currency: scored.currency, programOffer: 'pricing-guidance' },
      pricing,
    );
    if (guidance.worthOffering) discounts.set(score.customerId, guidance.maxDiscount);
  }
  return discounts;
}

/** The run's segment email contexts (playbooks/email), each with the offer its treated customers get at `at`. */
export async function segmentEmailsWithOffers(
  store: EnrolmentStore,
  tenant: string,
  scored: { run: ScoreRun; scores: readonly Score[] },
  at: number,
): Promise<SegmentEmailContext[]> {
  const currency = scored.run.currency;
  const offers = await programEmailOffers(store, tenant, { scores: scored.scores, currency }, at);
  return segmentEmailContexts(scored.scores, currency, offers);
}
