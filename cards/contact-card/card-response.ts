/**
 * What the contact card API answers (`GET /api/v1/cards/contact`): one compact JSON document a rep's card, the
 * preview page and the HubSpot UI extension all render. Numbers are raw (the client formats them with the
 * currency); texts are plain (a client that builds HTML escapes them), except `playbook.html`, which the
 * playbook renderer has escaped already.
 */
import { z } from 'zod';

const money = z.number().finite();
const probability = z.number().min(0).max(1);

export const cardResponseSchema = z.object({
  tenant: z.string(),
  contactId: z.string(),
  firstName: z.string().nullable(),
  /** 'scored': the engine scored this contact; 'too-little-history': a reason and the RFM-rule fallback. */
  status: z.enum(['scored', 'too-little-history']),
  /** Why the card is a fallback (status 'too-little-history'); null otherwise. */
  reason: z.string().nullable(),
  segment: z.object({ id: z.string(), name: z.string(), description: z.string() }).nullable(),
  rfm: z.object({ segment: z.string(), score: z.string() }).nullable(),
  clv: z.object({
    predicted: money,
    historic: money,
    currency: z.string(),
    months: z.number().int().positive(),
  }),
  pAlive: probability.nullable(),
  churn: z
    .object({
      probability,
      band: z.enum(['low', 'medium', 'high']),
      drivers: z.array(z.object({ feature: z.string(), text: z.string(), contribution: z.number() })).max(3),
    })
    .nullable(),
  nextOrderDate: z.string().date().nullable(),
  recommendations: z
    .array(z.object({ productId: z.string(), productName: z.string(), reason: z.string() }))
    .max(3),
  actions: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        reason: z.string(),
        priority: z.number().int(),
        kind: z.enum(['call', 'email', 'offer', 'task', 'escalate']),
        offer: z.object({ discount: z.number(), amount: money, currency: z.string() }).optional(),
      }),
    )
    .max(3),
  playbook: z.object({
    title: z.string(),
    sections: z.array(z.object({ key: z.string(), heading: z.string(), text: z.string() })),
    html: z.string(),
  }),
  model: z.object({
    version: z.string(),
    scoredAt: z.string().datetime({ offset: true }),
    /** Per-customer RMSE of holdout purchases of the promoted version; null without a holdout. */
    holdoutRmse: z.number().nullable(),
    churnAuc: z.number().nullable(),
  }),
});
export type CardResponse = z.infer<typeof cardResponseSchema>;
