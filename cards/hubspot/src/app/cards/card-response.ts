/**
 * A copy of the card API's response type (cards/contact-card/card-response.ts, `CardResponse`, there a zod
 * schema). This project is uploaded to HubSpot on its own and cannot import from the repository around it, so
 * the type is written out here; test/cards/hubspot/card-response-copy.test.ts fails when the two stop being
 * assignable to each other, both ways.
 */
export type ChurnBand = 'low' | 'medium' | 'high';

export type ActionKind = 'call' | 'email' | 'offer' | 'task' | 'escalate';

export type CardAction = {
  id: string;
  title: string;
  reason: string;
  priority: number;
  kind: ActionKind;
  offer?: { discount: number; amount: number; currency: string };
};

export type PlaybookSection = { key: string; heading: string; text: string };

export type CardResponse = {
  tenant: string;
  contactId: string;
  firstName: string | null;
  /** 'scored': the engine scored this contact; 'too-little-history': a reason and the RFM-rule fallback. */
  status: 'scored' | 'too-little-history';
  /** Why the card is a fallback (status 'too-little-history'); null otherwise. */
  reason: string | null;
  segment: { id: string; name: string; description: string } | null;
  rfm: { segment: string; score: string } | null;
  clv: { predicted: number; historic: number; currency: string; months: number };
  pAlive: number | null;
  churn: {
    probability: number;
    band: ChurnBand;
    drivers: { feature: string; text: string; contribution: number }[];
  } | null;
  /** `YYYY-MM-DD`. */
  nextOrderDate: string | null;
  recommendations: { productId: string; productName: string; reason: string }[];
  actions: CardAction[];
  /** `html` is the server's escaped rendering; the card shows `sections` as text and never injects HTML. */
  playbook: { title: string; sections: PlaybookSection[]; html: string };
  model: { version: string; scoredAt: string; holdoutRmse: number | null; churnAuc: number | null };
};

/** What a rep did with a suggested action (`POST /api/v1/cards/contact/actions`). */
export type ActionOutcome = 'accepted' | 'dismissed' | 'completed';
