import {
  CardApiError,
  fetchContactCard,
  sendActionFeedback,
  type CardFetch,
} from '../../../cards/hubspot/src/app/cards/card-api';
import { buildCardResponse } from './build-card-response';

type Call = { url: string; options: Parameters<CardFetch>[1] };

/** A stand-in for hubspot.fetch that records its calls and answers with `status` and `body`. */
function fakeFetch(status: number, body: unknown): CardFetch & { calls: Call[] } {
  const calls: Call[] = [];
  const fetch = async (url: string, options: Call['options']) => {
    calls.push({ url, options });
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => (body instanceof Error ? Promise.reject(body) : body),
    };
  };
  return Object.assign(fetch, { calls });
}

describe('the card’s calls to our server', () => {
  it('loads the card with a GET to the permitted origin, with the portal and record ids, within 15 s', async () => {
    const fetch = fakeFetch(200, buildCardResponse());
    const card = await fetchContactCard(fetch, { portalId: 62515, objectId: 123 });
    expect(card.contactId).toBe('123');
    expect(fetch.calls).toEqual([
      {
        url: 'https://crm-clv.example.com/api/v1/cards/contact?portalId=62515&objectId=123',
        options: { method: 'GET', timeout: 15_000 },
      },
    ]);
  });

  it('posts the rep’s choice as JSON with the rep’s user id', async () => {
    const fetch = fakeFetch(204, null);
    await sendActionFeedback(fetch, {
      portalId: 62515,
      objectId: 123,
      actionId: 'call-owner',
      outcome: 'accepted',
      userId: 7,
    });
    expect(fetch.calls).toEqual([
      {
        url: 'https://crm-clv.example.com/api/v1/cards/contact/actions',
        options: {
          method: 'POST',
          timeout: 15_000,
          body: { portalId: 62515, objectId: 123, actionId: 'call-owner', outcome: 'accepted', userId: 7 },
        },
      },
    ]);
  });

  it('passes on the server’s reason for a failure', async () => {
    const fetch = fakeFetch(404, { error: 'NOT_FOUND', message: 'Contact 123 has no score yet.' });
    await expect(fetchContactCard(fetch, { portalId: 1, objectId: 123 })).rejects.toEqual(
      new CardApiError(404, 'Contact 123 has no score yet.'),
    );
  });

  it('words a failure without a readable body by its status', async () => {
    const fetch = fakeFetch(503, new SyntaxError('Unexpected token <'));
    await expect(fetchContactCard(fetch, { portalId: 1, objectId: 1 })).rejects.toThrow(
      'The customer-value server failed (HTTP 503). Try again in a moment.',
    );
  });

  it('says the server did not answer when hubspot.fetch rejects (timeout, no connection)', async () => {
    const fetch: CardFetch = async () => {
      throw new Error('Request timed out');
    };
    await expect(fetchContactCard(fetch, { portalId: 1, objectId: 1 })).rejects.toThrow(
      'The customer-value server did not answer. Try again in a moment.',
    );
  });
});
