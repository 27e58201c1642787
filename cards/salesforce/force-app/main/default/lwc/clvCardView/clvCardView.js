// @ts-check
/**
 * The card's view logic, apart from the component so it is tested without Salesforce (test/cards/salesforce):
 * what ClvCardController answered → one plain object the template reads field by field (LWC templates take
 * properties, not expressions). No LWC import, no DOM. The JSDoc types below are the card API's response as
 * this card expects it; a test type-checks them against cards/contact-card/card-response.ts both ways.
 */

/**
 * @typedef {'low' | 'medium' | 'high'} ChurnBand
 * @typedef {'accepted' | 'dismissed' | 'completed'} ActionOutcome
 * @typedef {{ feature: string, text: string, contribution: number }} ChurnDriver
 * @typedef {{ productId: string, productName: string, reason: string }} Recommendation
 * @typedef {{ discount: number, amount: number, currency: string }} ActionOffer
 * @typedef {{ id: string, title: string, reason: string, priority: number,
 *   kind: 'call' | 'email' | 'offer' | 'task' | 'escalate', offer?: ActionOffer }} CardAction
 * @typedef {{ key: string, heading: string, text: string }} PlaybookSection
 * @typedef {{
 *   tenant: string,
 *   contactId: string,
 *   firstName: string | null,
 *   status: 'scored' | 'too-little-history',
 *   reason: string | null,
 *   segment: { id: string, name: string, description: string } | null,
 *   rfm: { segment: string, score: string } | null,
 *   clv: { predicted: number, historic: number, currency: string, months: number },
 *   pAlive: number | null,
 *   churn: { probability: number, band: ChurnBand, drivers: ChurnDriver[] } | null,
 *   nextOrderDate: string | null,
 *   recommendations: Recommendation[],
 *   actions: CardAction[],
 *   playbook: { title: string, sections: PlaybookSection[], html: string },
 *   model: { version: string, scoredAt: string, holdoutRmse: number | null, churnAuc: number | null },
 * }} CardResponse
 *
 * @typedef {{ statusCode: number, body: string }} CardResult  ClvCardController.CardResult
 * @typedef {{ key: string, label: string, className: string }} Badge
 * @typedef {{ key: string, label: string, value: string }} Stat
 * @typedef {{ id: string, title: string, reason: string, offerText: string | null, outcomeLabel: string | null,
 *   canAnswer: boolean, canComplete: boolean, pending: boolean }} ActionRow
 * @typedef {{
 *   scored: boolean,
 *   reason: string | null,
 *   badges: Badge[],
 *   segmentDescription: string | null,
 *   stats: Stat[],
 *   drivers: { key: string, text: string }[],
 *   hasDrivers: boolean,
 *   nextOrderText: string | null,
 *   recommendations: { key: string, name: string, reason: string }[],
 *   hasRecommendations: boolean,
 *   actions: ActionRow[],
 *   hasActions: boolean,
 *   playbookTitle: string,
 *   playbookSections: PlaybookSection[],
 *   hasPlaybook: boolean,
 *   openSections: string[],
 *   modelLine: string,
 * }} CardView
 * @typedef {{ state: 'loading' } | { state: 'error', message: string } | { state: 'empty', message: string }
 *   | { state: 'loaded', view: CardView }} CardLoad
 * @typedef {Record<string, { outcome: ActionOutcome, pending: boolean }>} ActionProgress
 */

export const MAX_RECOMMENDATIONS = 3;
export const MAX_ACTIONS = 3;

/**
 * SLDS theme classes for lightning-badge: risk reads as a traffic light.
 * @param {ChurnBand} band
 * @returns {string}
 */
export function churnBandClass(band) {
  switch (band) {
    case 'low':
      return 'slds-theme_success';
    case 'medium':
      return 'slds-theme_warning';
    default:
      return 'slds-theme_error';
  }
}

/** @param {ChurnBand} band */
export function churnBandLabel(band) {
  return `${band[0].toUpperCase()}${band.slice(1)} churn risk`;
}

/**
 * Example: formatMoney(1234.5, 'USD', 'en-US') → '$1,235'; an unknown currency code gives "1,235 XYZ".
 * @param {number} amount @param {string} currency @param {string} locale
 */
export function formatMoney(amount, currency, locale) {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      amount,
    );
  } catch {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(amount)} ${currency}`;
  }
}

/** @param {number} probability @param {string} locale */
export function formatPercent(probability, locale) {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(probability);
}

/** A calendar day (YYYY-MM-DD) shown as that day wherever the rep is. @param {string} day @param {string} locale */
export function formatDay(day, locale) {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** @param {string} iso @param {string} locale @param {string} timeZone */
export function formatMoment(iso, locale, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      date,
    );
  } catch {
    return new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(date);
  }
}

/**
 * The card's content for a response, in the HubSpot card's order and words (cards/hubspot).
 * @param {CardResponse} response @param {string} locale @param {string} timeZone
 * @returns {CardView}
 */
export function toCardView(response, locale, timeZone) {
  const { clv, churn, segment, rfm } = response;
  const scored = response.status === 'scored';
  /** @type {Badge[]} */
  const badges = [];
  if (segment) badges.push({ key: 'segment', label: segment.name, className: 'slds-theme_info' });
  if (churn)
    badges.push({ key: 'churn', label: churnBandLabel(churn.band), className: churnBandClass(churn.band) });
  if (rfm) badges.push({ key: 'rfm', label: `RFM: ${rfm.segment}`, className: '' });
  const notEstimated = 'Not estimated';
  const stats = scored
    ? [
        {
          key: 'predicted',
          label: `Predicted CLV (${clv.months} months)`,
          value: formatMoney(clv.predicted, clv.currency, locale),
        },
        { key: 'historic', label: 'Historic CLV', value: formatMoney(clv.historic, clv.currency, locale) },
        {
          key: 'churn',
          label: 'Churn probability',
          value: churn ? formatPercent(churn.probability, locale) : notEstimated,
        },
        {
          key: 'alive',
          label: 'P(alive)',
          value: response.pAlive === null ? notEstimated : formatPercent(response.pAlive, locale),
        },
      ]
    : [];
  const drivers = scored && churn ? churn.drivers.map((d) => ({ key: d.feature, text: d.text })) : [];
  const recommendations = scored
    ? response.recommendations
        .slice(0, MAX_RECOMMENDATIONS)
        .map((r) => ({ key: r.productId, name: r.productName, reason: r.reason }))
    : [];
  const actions = response.actions.slice(0, MAX_ACTIONS).map((action) => ({
    id: action.id,
    title: action.title,
    reason: action.reason,
    offerText: action.offer
      ? `Offer up to ${formatPercent(action.offer.discount, locale)} off the next order (about ${formatMoney(action.offer.amount, action.offer.currency, locale)}).`
      : null,
    outcomeLabel: null,
    canAnswer: true,
    canComplete: false,
    pending: false,
  }));
  const sections = response.playbook.sections;
  return {
    scored,
    reason: scored ? null : (response.reason ?? 'This contact has too few orders for the models to score.'),
    badges,
    segmentDescription: scored && segment ? segment.description : null,
    stats,
    drivers,
    hasDrivers: drivers.length > 0,
    nextOrderText:
      scored && response.nextOrderDate
        ? `Next order expected: ${formatDay(response.nextOrderDate, locale)}`
        : null,
    recommendations,
    hasRecommendations: recommendations.length > 0,
    actions,
    hasActions: actions.length > 0,
    playbookTitle: response.playbook.title,
    playbookSections: sections,
    hasPlaybook: sections.length > 0,
    // The fallback leads with its playbook: too little history, so the playbook is what there is to go on.
    openSections: !scored && sections.length > 0 ? [sections[0].key] : [],
    modelLine: `Model ${response.model.version} · scored ${formatMoment(response.model.scoredAt, locale, timeZone)}`,
  };
}

/**
 * What to show for ClvCardController.getCard's answer: the card, the 404's reason (never scored or synced),
 * or an error when the body is not a card.
 * @param {CardResult} result @param {string} locale @param {string} timeZone
 * @returns {CardLoad}
 */
export function cardLoad(result, locale, timeZone) {
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(result.body);
  } catch {
    body = null;
  }
  const fields = /** @type {Record<string, unknown> | null} */ (typeof body === 'object' ? body : null);
  if (result.statusCode === 404)
    return {
      state: 'empty',
      message:
        typeof fields?.message === 'string' && fields.message !== ''
          ? fields.message
          : 'crm-clv has no synced data for this contact yet.',
    };
  if (fields === null || (fields.status !== 'scored' && fields.status !== 'too-little-history'))
    return { state: 'error', message: 'The server answered with something that is not a contact card.' };
  return {
    state: 'loaded',
    view: toCardView(/** @type {CardResponse} */ (/** @type {unknown} */ (fields)), locale, timeZone),
  };
}

const OUTCOME_WORDS = { accepted: 'Accepted', dismissed: 'Dismissed', completed: 'Done' };

/**
 * The view with what the rep did with each action this session: an answered action shows its outcome, an
 * accepted one can be marked done, and nothing can be answered twice while a call is under way.
 * @param {CardView} view @param {ActionProgress} progress
 * @returns {CardView}
 */
export function withActionProgress(view, progress) {
  return {
    ...view,
    actions: view.actions.map((action) => {
      const done = progress[action.id];
      if (done === undefined) return action;
      return {
        ...action,
        outcomeLabel: OUTCOME_WORDS[done.outcome],
        canAnswer: false,
        canComplete: done.outcome === 'accepted' && !done.pending,
        pending: done.pending,
      };
    }),
  };
}

/**
 * A rep-readable sentence from an Apex or network error (AuraHandledException's message is body.message).
 * @param {unknown} error
 * @returns {string}
 */
export function errorMessage(error) {
  const body = /** @type {{ body?: { message?: unknown } | { message?: unknown }[] } | null} */ (error)?.body;
  const first = Array.isArray(body) ? body[0] : body;
  if (typeof first?.message === 'string' && first.message.trim() !== '') return first.message;
  return 'The customer-value card could not be loaded. Try again in a moment.';
}
