/** A scored contact card as the card API answers it (the shape of cards/contact-card/card-response.ts). */
import type { CardResponse } from '../../../cards/contact-card/card-response';

export function buildCardResponse(overrides: Partial<CardResponse> = {}): CardResponse {
  return {
    tenant: 'hubspot-62515',
    contactId: '123',
    firstName: 'Ada',
    status: 'scored',
    reason: null,
    segment: { id: 'seg-2', name: 'Loyal big spenders', description: 'Frequent orders, high basket value.' },
    rfm: { segment: 'Champions', score: '555' },
    clv: { predicted: 1234.5, historic: 5678.9, currency: 'USD', months: 12 },
    pAlive: 0.874,
    churn: {
      probability: 0.234,
      band: 'high',
      drivers: [
        {
          feature: 'recency',
          text: 'No order for 210 days, longer than 80% of customers',
          contribution: 1.2,
        },
        { feature: 'tickets', text: '2 open support tickets', contribution: 0.4 },
      ],
    },
    nextOrderDate: '2027-03-05',
    recommendations: [
      { productId: 'p1', productName: 'Linen napkins', reason: 'often bought with Table runner' },
      { productId: 'p2', productName: 'Candle holder', reason: 'often bought with Tea lights' },
      { productId: 'p3', productName: 'Serving tray', reason: 'a best seller in Loyal big spenders' },
    ],
    actions: [
      {
        id: 'call-owner',
        title: 'Call Ada this week',
        reason: 'High value, rising risk',
        priority: 1,
        kind: 'call',
      },
      {
        id: 'offer-10',
        title: 'Offer a discount on the next order',
        reason: 'Worth keeping: expected value exceeds the discount',
        priority: 2,
        kind: 'offer',
        offer: { discount: 0.1, amount: 12.5, currency: 'USD' },
      },
      {
        id: 'email-winback',
        title: 'Send the win-back email',
        reason: 'Quiet for 3× the usual gap',
        priority: 3,
        kind: 'email',
      },
    ],
    playbook: {
      title: 'Loyal big spenders: keep them close',
      sections: [
        { key: 'goal', heading: 'Goal', text: 'Ada last ordered 210 days ago, 3× their usual gap.' },
        { key: 'avoid', heading: 'What to avoid', text: 'Blanket <b>discounts</b>.' },
      ],
      html: '<h3>Goal</h3><p>Ada last ordered 210 days ago, 3× their usual gap.</p>',
    },
    model: {
      version: 'bgnbd-gg-2026-11-30',
      scoredAt: '2026-12-01T08:30:00Z',
      holdoutRmse: 1.42,
      churnAuc: 0.81,
    },
    ...overrides,
  };
}
