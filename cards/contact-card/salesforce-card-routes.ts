/**
 * The card API for the Salesforce Lightning card (cards/salesforce, README "Salesforce card"), called by the
 * Apex controller through the Named Credential `CrmClv`, every route signed with the org's key and checked
 * before anything else runs (cards/signatures/salesforce-card-signature.ts):
 *
 *   GET  /api/v1/cards/salesforce/contact?orgId=&contactId=       the card (CardResponse)
 *   POST /api/v1/cards/salesforce/contact/actions?orgId=  {contactId, actionId, outcome, userId}
 *
 * The tenant is crmTenantId('salesforce', orgId) with the org id of the signed URL, whose key made the
 * signature, so another org's contact is a 404 for this org. The answers are the HubSpot routes' own
 * (cardAnswerer, recordCardAction); the HubSpot routes are unchanged.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { crmTenantId } from '../../domain/tenant';
import { bodyErrors, rawBody, verifiedOrgId, verifySalesforceRequest } from '../signatures';
import { ACTION_OUTCOMES } from './action-feedback';
import {
  cardAnswerer,
  errorJson,
  recordCardAction,
  type CardReply,
  type CardRouteOptions,
} from './contact-card-routes';

export const SALESFORCE_CARD_PATH = '/api/v1/cards/salesforce/contact';
export const SALESFORCE_CARD_ACTIONS_PATH = '/api/v1/cards/salesforce/contact/actions';

const MAX_BODY_BYTES = 16 * 1024;

/** A Contact id as Apex sends it (Id, 18 characters; 15 accepted). */
const contactId = z
  .string()
  .regex(/^003[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'must be a Salesforce Contact id (003…)');

const cardQuery = z.object({ orgId: z.string(), contactId });
const actionQuery = z.object({ orgId: z.string() });
const actionBody = z.object({
  contactId,
  actionId: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'must be the id of a suggested action'),
  outcome: z.enum(ACTION_OUTCOMES),
  userId: z.string().regex(/^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, "must be the rep's Salesforce User id"),
});

function problem(error: z.ZodError, where: 'query' | 'body', input: unknown): string {
  const issue = error.issues[0];
  const field = issue.path.join('.') || where;
  const value = issue.path.length === 1 ? (input as Record<string, unknown> | null)?.[issue.path[0]] : input;
  return value === undefined && issue.path.length > 0
    ? `${field}: is required in the ${where} but was not provided`
    : `${field}: ${issue.message}`;
}

const invalid = (message: string): CardReply => ({
  status: 400,
  json: errorJson('INVALID_REQUEST', message),
});

export type SalesforceCardRouteOptions = Omit<
  CardRouteOptions,
  'clientSecret' | 'publicUrl' | 'onRejected'
> & {
  /** SALESFORCE_CARD_SECRET; without it the routes answer 503. */
  secret: string | undefined;
  onRejected?: (code: string) => void;
};

export function salesforceCardRoutes(options: SalesforceCardRouteOptions): Router {
  const router = Router();
  const signed = verifySalesforceRequest({
    secret: options.secret,
    maxBodyBytes: MAX_BODY_BYTES,
    now: options.now,
    onRejected: options.onRejected,
  });
  const answer = cardAnswerer(options, 'salesforce');
  const send = (res: Response, reply: CardReply) =>
    res.status(reply.status).type('application/json').send(reply.json);

  router.get(SALESFORCE_CARD_PATH, ...signed, async (req, res, next) => {
    try {
      const query = cardQuery.safeParse(req.query);
      if (!query.success) return send(res, invalid(problem(query.error, 'query', req.query)));
      // The signed org (the middleware derived its key from it), never an unsigned copy.
      send(res, await answer(verifiedOrgId(req)!, query.data.contactId));
    } catch (error) {
      next(error);
    }
  });

  router.post(SALESFORCE_CARD_ACTIONS_PATH, ...signed, async (req, res, next) => {
    try {
      const query = actionQuery.safeParse(req.query);
      if (!query.success) return send(res, invalid(problem(query.error, 'query', req.query)));
      let json: unknown;
      try {
        json = JSON.parse(rawBody(req).toString('utf8'));
      } catch {
        return send(res, invalid('body: must be JSON'));
      }
      const body = actionBody.safeParse(json);
      if (!body.success) return send(res, invalid(problem(body.error, 'body', json)));
      const tenant = crmTenantId('salesforce', verifiedOrgId(req)!);
      send(res, await recordCardAction(options, tenant, { ...body.data, objectId: body.data.contactId }));
    } catch (error) {
      next(error);
    }
  });

  router.use([SALESFORCE_CARD_PATH, SALESFORCE_CARD_ACTIONS_PATH], bodyErrors);
  return router;
}
