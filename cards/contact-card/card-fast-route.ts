/**
 * The card GET answered on node:http, ahead of express. Why: it is the busiest route (every contact view of
 * every rep), and express's own work per request (its request and response prototypes, the router walk, a
 * body reader that a body-less GET does not need, a second socket write for the body) was about a third of the
 * route's CPU in the card API bench. The checks, their order and the answers are the express route's own
 * (checkHubSpotRequest, then answerCardQuery): the signature first, nothing behind it runs for a refused
 * request, and the tenant comes from the signed URL. Everything else (a POST, a GET with a body, another path,
 * a trailing slash) goes on to express, whose route answers it the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { checkHubSpotRequest, type HubSpotSignatureOptions, type Refusal } from '../signatures';
import { answerCardQuery, CARD_PATH, type CardReply } from './contact-card-routes';

/** Answers the request and returns true, or returns false and leaves it to the next handler. */
export type FastRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export type CardFastRouteOptions = {
  signature: HubSpotSignatureOptions;
  answer: Parameters<typeof answerCardQuery>[0];
  /** Every response's headers (security headers with the JSON-only policy). */
  headers: readonly (readonly [string, string])[];
  /** Told of each answered request: its status and how long it took (metrics and the request log). */
  answered(status: number, seconds: number): void;
  /** An unexpected error: answered 500 without its text, which may hold internals. */
  failed(error: unknown): void;
};

const EMPTY_BODY = Buffer.alloc(0);

/** A request that may carry a body is not this route's: the signature would have to cover bytes it never read. */
function mayHaveBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function cardFastRoute(options: CardFastRouteOptions): FastRoute {
  const { signature } = options;
  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if (req.method !== 'GET' || (q === -1 ? url : url.slice(0, q)) !== CARD_PATH || mayHaveBody(req))
      return false;
    const started = process.hrtime.bigint();
    for (const [name, value] of options.headers) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'no-store');
    const send = (reply: CardReply) => {
      res.writeHead(reply.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(reply.json),
      });
      // One string for headers and body: node writes them in one go.
      res.end(reply.json);
      options.answered(reply.status, Number(process.hrtime.bigint() - started) / 1e9);
    };
    const refuse = (refusal: Refusal) => send({ status: refusal.status, json: JSON.stringify(refusal.body) });
    const fail = (error: unknown) => {
      options.failed(error);
      if (!res.headersSent)
        send({
          status: 500,
          json: JSON.stringify({ error: 'INTERNAL', message: 'the request failed; see the server log' }),
        });
    };
    try {
      const outcome = checkHubSpotRequest(
        { method: 'GET', url, headers: req.headers, body: EMPTY_BODY },
        signature,
        signature.onRejected && ((code) => signature.onRejected!(req, code)),
      );
      if ('refusal' in outcome) refuse(outcome.refusal);
      else
        answerCardQuery(
          options.answer,
          outcome.verified.portalId!,
          parseQuery(q === -1 ? '' : url.slice(q + 1)),
        ).then(send, fail);
    } catch (error) {
      fail(error);
    }
    return true;
  };
}
