/**
 * What the card server knows about a customer beside the Score, read from the store when a card is shown.
 * Playbooks stay pure: "today" is the card server's, so day counts arrive here already computed.
 */
import { z } from 'zod';

export const cardFactsSchema = z
  .object({
    firstName: z.string().optional(),
    /** Whole days from the last order to the day the card is shown. */
    daysSinceLastOrder: z.number().finite().nonnegative().optional(),
    /** The customer's usual (median) gap between orders in days; absent for one-time buyers. */
    usualGapDays: z.number().finite().positive().optional(),
    /** Support tickets not closed. */
    openTickets: z.number().int().nonnegative().optional(),
    /** Orders to date. */
    orders: z.number().int().nonnegative().optional(),
    /** Used for pricing when the Score has no expectedOrderValue. */
    averageOrderValue: z.number().finite().positive().optional(),
    /** ISO 4217 code of the run's money (ScoreRun.currency). */
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** 5 = the top fifth of the tenant's customers by predicted CLV, 1 = the bottom fifth (like RFM scores). */
    clvQuintile: z.number().int().min(1).max(5).optional(),
    /** Horizon of clvPredicted in months (ScoreRun.clvMonths). */
    clvMonths: z.number().int().positive().optional(),
    /**
     * What a live retention program gives the customer: its `offer` in the treatment arm, 'none' in the
     * control arm; absent when the customer is in no live program (the rules alone decide then).
     */
    programOffer: z.enum(['pricing-guidance', 'none']).optional(),
  })
  .strict();

export type CardFacts = z.infer<typeof cardFactsSchema>;
