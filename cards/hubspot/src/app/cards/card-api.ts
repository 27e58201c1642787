/**
 * How the card reaches our server: `hubspot.fetch` (NOTES §1.4) to an absolute HTTPS URL whose origin is in
 * app-hsmeta.json's `permittedUrls.fetch`. HubSpot signs every request (X-HubSpot-Signature-v3 with the app's
 * client secret); the server takes the tenant from the verified request, the ids here only say which contact.
 * The fetch function is an argument so the calls are tested without HubSpot.
 */
import type { ActionOutcome, CardResponse } from './card-response';

/**
 * Our server's public origin. Change it here AND in app-hsmeta.json `permittedUrls.fetch` (and in local.json for
 * `hs project dev`) when deploying: hubspot.fetch refuses any origin the app does not list.
 */
export const CARD_API_ORIGIN = 'https://crm-clv.example.com';

/** HubSpot's ceiling for one hubspot.fetch (connect included; its one retry on a 5xx falls within it). */
export const FETCH_TIMEOUT_MS = 15_000;

/** The part of `hubspot.fetch` the card uses (its options are JSON bodies only, no custom Content-Type). */
export type CardFetch = (
  url: string,
  options: { method: 'GET' | 'POST'; timeout: number; body?: { [key: string]: unknown } },
) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

export type ContactRef = { portalId: number; objectId: number };

export type ActionFeedback = ContactRef & { actionId: string; outcome: ActionOutcome; userId: number };

/** A failed call, with a sentence a rep can read. */
export class CardApiError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CardApiError';
  }
}

/** Example: contactCardUrl({ portalId: 62515, objectId: 123 }) → 'https://…/api/v1/cards/contact?portalId=62515&objectId=123'. */
export function contactCardUrl(contact: ContactRef, origin: string = CARD_API_ORIGIN): string {
  return `${origin}/api/v1/cards/contact?portalId=${encodeURIComponent(contact.portalId)}&objectId=${encodeURIComponent(contact.objectId)}`;
}

export function actionFeedbackUrl(origin: string = CARD_API_ORIGIN): string {
  return `${origin}/api/v1/cards/contact/actions`;
}

export async function fetchContactCard(
  fetch: CardFetch,
  contact: ContactRef,
  origin: string = CARD_API_ORIGIN,
): Promise<CardResponse> {
  const response = await call(() =>
    fetch(contactCardUrl(contact, origin), { method: 'GET', timeout: FETCH_TIMEOUT_MS }),
  );
  if (!response.ok) throw new CardApiError(response.status, await failureMessage(response));
  const body = (await response.json()) as CardResponse | null;
  if (body === null || typeof body !== 'object' || typeof body.status !== 'string')
    throw new CardApiError(response.status, 'The server answered with something that is not a contact card.');
  return body;
}

export async function sendActionFeedback(
  fetch: CardFetch,
  feedback: ActionFeedback,
  origin: string = CARD_API_ORIGIN,
): Promise<void> {
  const body = { ...feedback };
  const response = await call(() =>
    fetch(actionFeedbackUrl(origin), { method: 'POST', timeout: FETCH_TIMEOUT_MS, body }),
  );
  if (!response.ok) throw new CardApiError(response.status, await failureMessage(response));
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch {
    // hubspot.fetch rejects on a timeout, a refused origin or no connection; its error text names nothing a rep can act on.
    throw new CardApiError(undefined, 'The customer-value server did not answer. Try again in a moment.');
  }
}

/** The server's own reason when its error body has one (`message` or `error`), else one by status. */
async function failureMessage(response: Pick<Response, 'status' | 'json'>): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; error?: unknown } | null;
    const reason = body?.message ?? body?.error;
    if (typeof reason === 'string' && reason.trim() !== '') return reason;
  } catch {
    // not JSON: fall through to the status
  }
  if (response.status === 404) return 'This contact has not been scored yet.';
  if (response.status === 401 || response.status === 403)
    return 'The customer-value server refused the request: the app may need to be reinstalled.';
  if (response.status === 429) return 'Too many requests right now. Try again in a moment.';
  return `The customer-value server failed (HTTP ${response.status}). Try again in a moment.`;
}
