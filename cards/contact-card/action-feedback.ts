/**
 * What reps did with suggested actions: one entry per (contact, action, outcome, rep, minute) in a capped
 * Redis stream per tenant, so later reports can measure what suggestions did.
 *
 *   <prefix>:{t}:card-actions            STREAM  tenant, contactId, actionId, outcome, userId, at (capped ~100,000)
 *   <prefix>:{t}:card-action:<sha1>      STRING  the idempotency mark of one entry (expires after 2 days)
 *
 * One script sets the mark and appends the entry, so a retried request (hubspot.fetch retries once on a
 * connection failure) or a double click adds one entry, and a crash cannot leave a mark without its entry.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { tenantKey } from '../../domain/tenant';

export const ACTION_OUTCOMES = ['accepted', 'completed', 'dismissed'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

export const MAX_ACTION_ENTRIES = 100_000;
const MARK_TTL_SECONDS = 2 * 86_400;

export type ActionFeedback = {
  tenant: string;
  contactId: string;
  actionId: string;
  outcome: ActionOutcome;
  userId: string;
  /** Epoch ms, the server's clock. */
  at: number;
};

const RECORD = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 3))
end
return false
`;

export function actionFeedbackKeys(prefix: string, tenant: string) {
  const base = `${prefix}:{${tenantKey(tenant)}}`;
  return {
    stream: `${base}:card-actions`,
    mark: (id: string) => `${base}:card-action:${id}`,
  };
}

/** The idempotency id: the same rep's same outcome for the same action and contact within one minute. */
export function feedbackId(f: ActionFeedback): string {
  const minute = Math.floor(f.at / 60_000);
  return createHash('sha1')
    .update(JSON.stringify([f.contactId, f.actionId, f.outcome, f.userId, minute]))
    .digest('hex');
}

/** Records the entry; `recorded` false when the same entry was recorded within the minute. */
export async function recordActionFeedback(
  redis: Redis,
  prefix: string,
  feedback: ActionFeedback,
): Promise<{ recorded: boolean; entryId?: string }> {
  const keys = actionFeedbackKeys(prefix, feedback.tenant);
  const fields = [
    'tenant',
    feedback.tenant,
    'contactId',
    feedback.contactId,
    'actionId',
    feedback.actionId,
    'outcome',
    feedback.outcome,
    'userId',
    feedback.userId,
    'at',
    new Date(feedback.at).toISOString(),
  ];
  const reply = (await redis.eval(
    RECORD,
    2,
    keys.stream,
    keys.mark(feedbackId(feedback)),
    String(MARK_TTL_SECONDS),
    String(MAX_ACTION_ENTRIES),
    ...fields,
  )) as string | null;
  return reply === null ? { recorded: false } : { recorded: true, entryId: reply };
}

/** The tenant's entries, oldest first (reports, tests). */
export async function readActionFeedback(
  redis: Redis,
  prefix: string,
  tenant: string,
): Promise<Record<string, string>[]> {
  const entries = await redis.xrange(actionFeedbackKeys(prefix, tenant).stream, '-', '+');
  return entries.map(([, flat]) => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
    return out;
  });
}
