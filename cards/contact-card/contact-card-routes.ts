/**
 * The contact card API (README "Card API"), every route signed (v3) and checked before anything else runs:
 *
 *   GET  /api/v1/cards/contact?portalId=&objectId=        the card (CardResponse)
 *   POST /api/v1/cards/contact[?portalId=]  {objectId[, portalId]}   the same, as hubspot.fetch may send it
 *   POST /api/v1/cards/contact/actions[?portalId=]  {objectId, actionId, outcome, userId[, portalId]}
 *
 * The tenant is crmTenantId('hubspot', portalId) with the portal id from the signed URL (or, for a POST, the
 * signed body): v3 covers method, URL and body, so neither can be swapped. A contact is looked up only in that
 * tenant's index, so another portal's contact is a 404 with this portal's signature. Query and body are
 * zod-checked (400 naming the field); HubSpot's own extra parameters (appId, userId, userEmail…) pass.
 */
import type { IncomingMessage } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { crmTenantId, type Crm } from '../../domain/tenant';
import type { RedisLink } from '../redis/redis-link';
import {
  bodyErrors,
  rawBody,
  verifiedPortalId,
  verifyHubSpotSignature,
  type HubSpotSignatureOptions,
} from '../signatures';
import { ACTION_OUTCOMES, recordActionFeedback } from './action-feedback';
import type { CardService } from './card-service';

export const CARD_PATH = '/api/v1/cards/contact';
export const CARD_ACTIONS_PATH = '/api/v1/cards/contact/actions';

/** hubspot.fetch bodies are ≤ 1 MB (NOTES §1.4); ours are a few ids, so 16 KB bounds what an unsigned sender costs. */
const MAX_BODY_BYTES = 16 * 1024;

const portalId = z.string().regex(/^[1-9]\d{0,19}$/, 'must be a HubSpot portal id (digits)');
const objectId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a contact id (the record id, digits)'));

const cardQuery = z.object({ portalId, objectId, appId: z.string().regex(/^\d+$/).optional() });
const postQuery = z.object({ portalId: portalId.optional(), appId: z.string().regex(/^\d+$/).optional() });
const cardBody = z.object({
  objectId,
  portalId: z.union([portalId, z.number().int().positive()]).optional(),
});
const actionBody = z.object({
  objectId,
  portalId: z.union([portalId, z.number().int().positive()]).optional(),
  actionId: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'must be the id of a suggested action'),
  outcome: z.enum(ACTION_OUTCOMES),
  userId: z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    .pipe(z.string().regex(/^[A-Za-z0-9_@.-]{1,64}$/, "must be the rep's HubSpot user id")),
});

function problem(error: z.ZodError, where: 'query' | 'body', input: unknown): string {
  const issue = error.issues[0];
  const field = issue.path.join('.') || where;
  let value: unknown = input;
  for (const key of issue.path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  const message =
    value === undefined && issue.path.length > 0
      ? `is required in the ${where} but was not provided`
      : issue.code === 'invalid_union'
        ? 'must be a string of letters and digits (an id)'
        : issue.message;
  return `${field}: ${message}`;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ error: 'INVALID_REQUEST', message });
}

/** The JSON body's value, or a 400's message. */
function jsonBody(req: Request): { value: unknown } | { problem: string } {
  const bytes = rawBody(req);
  if (bytes.length === 0) return { value: {} };
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { problem: 'body: must be JSON (hubspot.fetch sends JSON bodies)' };
  }
}

/** The signed portal of a POST: the URL's, else the body's; both signed, and they must agree. */
function postPortal(
  req: Request,
  bodyPortal: string | number | undefined,
): { portalId: string } | { problem: string } {
  const query = postQuery.safeParse(req.query);
  if (!query.success) return { problem: problem(query.error, 'query', req.query) };
  const fromBody = bodyPortal === undefined ? undefined : String(bodyPortal);
  const fromQuery = query.data.portalId;
  if (fromQuery !== undefined && fromBody !== undefined && fromQuery !== fromBody)
    return { problem: 'portalId: the query and the body name different portals' };
  const portal = fromQuery ?? fromBody;
  if (portal === undefined)
    return { problem: 'portalId: is required in the query or the body but was not provided' };
  return { portalId: portal };
}

/** An answer of the card API: its status and JSON text. */
export type CardReply = { status: number; json: string };
/** The card of a contact of a verified account (a HubSpot portal, a Salesforce org). */
export type Answerer = (account: string, contact: string) => Promise<CardReply>;

export const errorJson = (error: string, message: string) => JSON.stringify({ error, message });

/** The 503's JSON when the store cannot answer yet; undefined when it can. */
async function storeRefusal(options: Pick<CardRouteOptions, 'storeReady'>): Promise<string | undefined> {
  try {
    await options.storeReady?.();
    return undefined;
  } catch (error) {
    return errorJson('REDIS_NOT_READY', (error as Error).message);
  }
}

/** The card of a contact of the signed account (a portal by default): 200 with the card, 404 with a reason, or 503. */
export function cardAnswerer(
  options: Pick<CardRouteOptions, 'cards' | 'storeReady'>,
  crm: Crm = 'hubspot',
): Answerer {
  return async (account, contact) => {
    const tenant = crmTenantId(crm, account);
    const refusal = await storeRefusal(options);
    if (refusal !== undefined) return { status: 503, json: refusal };
    const found = await options.cards.card(tenant, contact);
    if (!found.found) return { status: 404, json: errorJson('CONTACT_NOT_FOUND', found.reason) };
    return { status: 200, json: found.json };
  };
}

/** A signed GET's card: its query checked (400 naming the field), then answered for the signed portal. */
export async function answerCardQuery(
  answer: Answerer,
  signedPortal: string,
  query: unknown,
): Promise<CardReply> {
  const parsed = cardQuery.safeParse(query);
  if (!parsed.success)
    return { status: 400, json: errorJson('INVALID_REQUEST', problem(parsed.error, 'query', query)) };
  return answer(signedPortal, parsed.data.objectId);
}

/** The signature check of the card GET: v3 only, the portal from the signed URL. */
export function cardSignature(
  options: CardRouteOptions,
  portal: 'query' | undefined,
): HubSpotSignatureOptions {
  return {
    clientSecret: options.clientSecret,
    versions: ['v3'],
    publicUrl: options.publicUrl,
    maxBodyBytes: MAX_BODY_BYTES,
    ...(portal ? { portalId: portal } : {}),
    now: options.now,
    onRejected: options.onRejected,
  };
}

export type CardRouteOptions = {
  clientSecret: string | undefined;
  publicUrl?: string;
  cards: CardService;
  redis: RedisLink;
  statePrefix: string;
  redisTimeoutMs: number;
  /** Resolves once the store can answer (the Redis store: connected); a rejection is answered 503. */
  storeReady?: () => Promise<unknown>;
  now?: () => number;
  onRejected?: (req: IncomingMessage, code: string) => void;
};

/**
 * A rep's answer to a suggested action of a contact of the verified tenant: 201 recorded, 200 a duplicate,
 * 404 for a contact the tenant does not have, 503 when the store cannot answer.
 */
export async function recordCardAction(
  options: Pick<
    CardRouteOptions,
    'cards' | 'storeReady' | 'redis' | 'redisTimeoutMs' | 'statePrefix' | 'now'
  >,
  tenant: string,
  action: { objectId: string; actionId: string; outcome: (typeof ACTION_OUTCOMES)[number]; userId: string },
): Promise<CardReply> {
  const refusal = await storeRefusal(options);
  if (refusal !== undefined) return { status: 503, json: refusal };
  const contact = await options.cards.card(tenant, action.objectId);
  if (!contact.found) return { status: 404, json: errorJson('CONTACT_NOT_FOUND', contact.reason) };
  let redis;
  try {
    redis = await options.redis.connected(options.redisTimeoutMs);
  } catch (error) {
    return { status: 503, json: errorJson('REDIS_NOT_READY', (error as Error).message) };
  }
  const outcome = await recordActionFeedback(redis, options.statePrefix, {
    tenant,
    contactId: action.objectId,
    actionId: action.actionId,
    outcome: action.outcome,
    userId: action.userId,
    at: (options.now ?? Date.now)(),
  });
  return {
    status: outcome.recorded ? 201 : 200,
    json: JSON.stringify({ recorded: outcome.recorded, duplicate: !outcome.recorded }),
  };
}

export function contactCardRoutes(options: CardRouteOptions): Router {
  const router = Router();
  const signed = (portal: 'query' | undefined) => verifyHubSpotSignature(cardSignature(options, portal));

  const answer = cardAnswerer(options);
  async function answerCard(res: Response, portal: string, contact: string): Promise<void> {
    const reply = await answer(portal, contact);
    res.status(reply.status).type('application/json').send(reply.json);
  }

  router.get(CARD_PATH, ...signed('query'), async (req, res, next) => {
    try {
      // The signed portal (the middleware read it from the signed URL), never an unsigned copy.
      const reply = await answerCardQuery(answer, verifiedPortalId(req)!, req.query);
      res.status(reply.status).type('application/json').send(reply.json);
    } catch (error) {
      next(error);
    }
  });

  router.post(CARD_PATH, ...signed(undefined), async (req, res, next) => {
    try {
      const json = jsonBody(req);
      if ('problem' in json) return badRequest(res, json.problem);
      const body = cardBody.safeParse(json.value);
      if (!body.success) return badRequest(res, problem(body.error, 'body', json.value));
      const portal = postPortal(req, body.data.portalId);
      if ('problem' in portal) return badRequest(res, portal.problem);
      await answerCard(res, portal.portalId, body.data.objectId);
    } catch (error) {
      next(error);
    }
  });

  router.post(CARD_ACTIONS_PATH, ...signed(undefined), async (req, res, next) => {
    try {
      const json = jsonBody(req);
      if ('problem' in json) return badRequest(res, json.problem);
      const body = actionBody.safeParse(json.value);
      if (!body.success) return badRequest(res, problem(body.error, 'body', json.value));
      const portal = postPortal(req, body.data.portalId);
      if ('problem' in portal) return badRequest(res, portal.problem);
      const reply = await recordCardAction(options, crmTenantId('hubspot', portal.portalId), body.data);
      res.status(reply.status).type('application/json').send(reply.json);
    } catch (error) {
      next(error);
    }
  });

  router.use([CARD_PATH, CARD_ACTIONS_PATH], bodyErrors);
  return router;
}
