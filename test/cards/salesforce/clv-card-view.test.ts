/**
 * What the Lightning card shows for a card API response (the same content as the HubSpot card): built with
 * the real response schema, passed through ClvCardController's result shape.
 */
import { cardResponseSchema, type CardResponse } from '../../../cards/contact-card/card-response';
import { buildCardResponse } from '../hubspot/build-card-response';
import { loadViewModule } from './clv-card-view';

const view = loadViewModule();
const LOCALE = 'en-US';
const TZ = 'UTC';

const result = (response: CardResponse, statusCode = 200) => ({
  statusCode,
  body: JSON.stringify(cardResponseSchema.parse(response)),
});

function loaded(response: CardResponse) {
  const load = view.cardLoad(result(response), LOCALE, TZ);
  if (load.state !== 'loaded') throw new Error(`expected a card, got ${load.state}`);
  return load.view;
}

describe('the Lightning card view of a scored contact', () => {
  const card = loaded(buildCardResponse());

  it('shows segment, churn band and RFM badges, the band as a traffic light', () => {
    expect(card.badges).toEqual([
      { key: 'segment', label: 'Loyal big spenders', className: 'slds-theme_info' },
      { key: 'churn', label: 'High churn risk', className: 'slds-theme_error' },
      { key: 'rfm', label: 'RFM: Champions', className: '' },
    ]);
    expect(['low', 'medium', 'high'].map((b) => view.churnBandClass(b as 'low'))).toEqual([
      'slds-theme_success',
      'slds-theme_warning',
      'slds-theme_error',
    ]);
    expect(card.segmentDescription).toBe('Frequent orders, high basket value.');
  });

  it('shows predicted and historic CLV in the currency, churn probability and P(alive)', () => {
    expect(card.stats).toEqual([
      { key: 'predicted', label: 'Predicted CLV (12 months)', value: '$1,235' },
      { key: 'historic', label: 'Historic CLV', value: '$5,679' },
      { key: 'churn', label: 'Churn probability', value: '23%' },
      { key: 'alive', label: 'P(alive)', value: '87%' },
    ]);
    const euros = loaded(
      buildCardResponse({ clv: { predicted: 10, historic: 20, currency: 'EUR', months: 6 } }),
    );
    expect(euros.stats[0]).toEqual({ key: 'predicted', label: 'Predicted CLV (6 months)', value: '€10' });
  });

  it('lists the churn drivers, the next order day and the top 3 recommendations with reasons', () => {
    expect(card.drivers.map((d) => d.text)).toEqual([
      'No order for 210 days, longer than 80% of customers',
      '2 open support tickets',
    ]);
    expect(card.hasDrivers).toBe(true);
    expect(card.nextOrderText).toBe('Next order expected: Mar 5, 2027');
    expect(card.recommendations).toEqual([
      { key: 'p1', name: 'Linen napkins', reason: 'often bought with Table runner' },
      { key: 'p2', name: 'Candle holder', reason: 'often bought with Tea lights' },
      { key: 'p3', name: 'Serving tray', reason: 'a best seller in Loyal big spenders' },
    ]);
  });

  it('offers up to 3 actions to accept or dismiss, an offer in words', () => {
    expect(card.actions.map((a) => [a.id, a.canAnswer, a.canComplete])).toEqual([
      ['call-owner', true, false],
      ['offer-10', true, false],
      ['email-winback', true, false],
    ]);
    expect(card.actions[1].offerText).toBe('Offer up to 10% off the next order (about $13).');
  });

  it('shows what the rep did with an action and lets an accepted one be marked done once confirmed', () => {
    const pending = view.withActionProgress(card, { 'call-owner': { outcome: 'accepted', pending: true } });
    expect(pending.actions[0]).toMatchObject({
      outcomeLabel: 'Accepted',
      canAnswer: false,
      canComplete: false,
    });
    const done = view.withActionProgress(card, {
      'call-owner': { outcome: 'accepted', pending: false },
      'offer-10': { outcome: 'dismissed', pending: false },
    });
    expect(done.actions[0]).toMatchObject({ outcomeLabel: 'Accepted', canComplete: true });
    expect(done.actions[1]).toMatchObject({
      outcomeLabel: 'Dismissed',
      canAnswer: false,
      canComplete: false,
    });
    expect(done.actions[2]).toBe(card.actions[2]);
  });

  it('has the playbook as accordion sections, closed, and the model line', () => {
    expect(card.playbookTitle).toBe('Loyal big spenders: keep them close');
    expect(card.playbookSections.map((s) => s.heading)).toEqual(['Goal', 'What to avoid']);
    // Plain text: the template renders it as text, so markup stays visible characters, never HTML.
    expect(card.playbookSections[1].text).toBe('Blanket <b>discounts</b>.');
    expect(card.openSections).toEqual([]);
    expect(card.modelLine).toBe('Model bgnbd-gg-2026-11-30 · scored Dec 1, 2026, 8:30 AM');
  });
});

describe('the Lightning card’s other states', () => {
  it('shows the reason and the fallback (actions, an open playbook) for too little history', () => {
    const fallback = loaded(
      buildCardResponse({
        status: 'too-little-history',
        reason: 'One order so far: the models need a second to see a buying rhythm.',
        churn: null,
        pAlive: null,
        nextOrderDate: null,
      }),
    );
    expect(fallback.scored).toBe(false);
    expect(fallback.reason).toBe('One order so far: the models need a second to see a buying rhythm.');
    expect(fallback.stats).toEqual([]);
    expect(fallback.hasRecommendations).toBe(false);
    expect(fallback.hasActions).toBe(true);
    expect(fallback.openSections).toEqual(['goal']);
  });

  it('says "Not estimated" where the model could not say', () => {
    const card = loaded(buildCardResponse({ churn: null, pAlive: null }));
    expect(card.stats.slice(2).map((s) => s.value)).toEqual(['Not estimated', 'Not estimated']);
    expect(card.badges.map((b) => b.key)).toEqual(['segment', 'rfm']);
    expect(card.hasDrivers).toBe(false);
  });

  it("is empty with the server's reason for a contact never synced or scored (404)", () => {
    const body = JSON.stringify({ error: 'CONTACT_NOT_FOUND', message: 'contact 003… is not in this org' });
    expect(view.cardLoad({ statusCode: 404, body }, LOCALE, TZ)).toEqual({
      state: 'empty',
      message: 'contact 003… is not in this org',
    });
  });

  it('is an error for a body that is not a card, with the Apex message when there is one', () => {
    expect(view.cardLoad({ statusCode: 200, body: '<html>' }, LOCALE, TZ).state).toBe('error');
    expect(view.errorMessage({ body: { message: 'the store is not reachable' } })).toBe(
      'the store is not reachable',
    );
    expect(view.errorMessage({ body: [{ message: 'first' }] })).toBe('first');
    expect(view.errorMessage(new Error('x'))).toMatch(/could not be loaded/);
  });
});
