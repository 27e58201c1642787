/**
 * One save path for single-record and sObject Collections writes, so both see the same checks and automation
 * in Salesforce's order of execution (NOTES §5.2): field checks, validation rule, save, after-save Flow.
 * allOrNone (NOTES §2.3): with any failure nothing is saved and the valid records report
 * ALL_OR_NONE_OPERATION_ROLLED_BACK; without it each record stands alone. A CampaignMember is unique per
 * campaign and contact: a second insert of the pair, stored or earlier in the same request, is refused with
 * DUPLICATE_VALUE "Already a campaign member." (sandbox NOTES-list-views-campaigns.md §3).
 */

import type { Request } from 'express';
import { runAfterSaveFlows, CHURN_RISK_FIELD, validationErrors } from './automation';
import { checkValues } from './field-values';
import type { JournalEntry } from './journal';
import { deleteRecord, findRecord, insertRecord, objectDef, sfDatetime, updateRecord } from './org-store';
import { ROLLED_BACK, type RecordError } from './salesforce-error';
import { normalizeId } from './salesforce-ids';
import type { SandboxContext } from './sandbox-context';

export type SaveResult = { id?: string; success: boolean; errors: RecordError[]; created?: boolean };

export type WriteInput = { type: string | undefined; id?: string; values: Record<string, unknown> };

type Planned =
  | { ok: true; apply: () => { id: string; journal: JournalEntry } }
  | { ok: false; id?: string; errors: RecordError[] };

const notFoundError = (id: unknown): RecordError => ({
  statusCode: 'INVALID_CROSS_REFERENCE_KEY',
  message: `invalid cross reference id${id ? `: ${String(id)}` : ''}`,
  fields: [],
});

const DUPLICATE_MEMBER: RecordError = {
  statusCode: 'DUPLICATE_VALUE',
  message: 'Already a campaign member.',
  fields: [],
};

/** `campaignId|contactId` of a CampaignMember's values (18-character ids), or undefined without a contact. */
function memberKey(values: Record<string, unknown>): string | undefined {
  const campaign = typeof values.CampaignId === 'string' ? normalizeId(values.CampaignId) : undefined;
  const contact = typeof values.ContactId === 'string' ? normalizeId(values.ContactId) : undefined;
  return campaign && contact ? `${campaign}|${contact}` : undefined;
}

export function saveRecords(
  ctx: SandboxContext,
  req: Request,
  mode: 'create' | 'update',
  inputs: WriteInput[],
  allOrNone: boolean,
): SaveResult[] {
  const at = sfDatetime(ctx.now());
  const time = new Date(ctx.now()).toISOString();
  let members: Set<string> | undefined;
  const memberKeys = (): Set<string> => {
    if (members === undefined) {
      members = new Set();
      for (const r of ctx.store.records.get('CampaignMember')?.values() ?? []) {
        const key = r.IsDeleted ? undefined : memberKey(r);
        if (key) members.add(key);
      }
    }
    return members;
  };
  const plans: Planned[] = inputs.map((input): Planned => {
    const def = input.type === undefined ? undefined : objectDef(ctx.store, input.type);
    if (!def)
      return {
        ok: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE',
            message: input.type
              ? `sObject type '${input.type}' is not supported.`
              : 'No SObject Type defined in the record',
            fields: [],
          },
        ],
      };
    if (mode === 'create') {
      if (input.id !== undefined)
        return {
          ok: false,
          errors: [
            { statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: ['Id'] },
          ],
        };
      const { values, errors } = checkValues(ctx.store, def, input.values, 'create');
      if (errors.length > 0) return { ok: false, errors };
      if (def.name === 'CampaignMember') {
        const key = memberKey(values);
        if (key && memberKeys().has(key)) return { ok: false, errors: [DUPLICATE_MEMBER] };
        if (key) memberKeys().add(key);
      }
      return {
        ok: true,
        apply: () => {
          const record = insertRecord(ctx.store, def.name, values, at);
          runAfterSaveFlows(ctx.automation, ctx.store, def.name, record, null, at);
          return { id: record.Id, journal: entry(req, time, def.name, record.Id, values) };
        },
      };
    }
    const id = typeof input.id === 'string' ? normalizeId(input.id) : undefined;
    const found = id ? findRecord(ctx.store, id) : undefined;
    if (!id)
      return {
        ok: false,
        errors: [
          { statusCode: 'MALFORMED_ID', message: `malformed id ${String(input.id ?? '')}`, fields: [] },
        ],
      };
    if (!found || found.type !== def.name) return { ok: false, id, errors: [notFoundError(input.id)] };
    if (found.record.IsDeleted)
      return {
        ok: false,
        id,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      };
    const { values, errors } = checkValues(ctx.store, def, input.values, 'update');
    errors.push(...(errors.length === 0 ? validationErrors(ctx.automation, def.name, id) : []));
    if (errors.length > 0) return { ok: false, id, errors };
    return {
      ok: true,
      apply: () => {
        const prior = found.record[CHURN_RISK_FIELD];
        updateRecord(ctx.store, def.name, found.record, values, at);
        runAfterSaveFlows(ctx.automation, ctx.store, def.name, found.record, prior, at);
        return { id, journal: entry(req, time, def.name, id, values) };
      },
    };
  });
  return commit(ctx, plans, allOrNone);
}

export function deleteRecords(
  ctx: SandboxContext,
  req: Request,
  ids: string[],
  allOrNone: boolean,
): SaveResult[] {
  const at = sfDatetime(ctx.now());
  const time = new Date(ctx.now()).toISOString();
  const plans = ids.map((raw): Planned => {
    const id = normalizeId(raw);
    const found = id ? findRecord(ctx.store, id) : undefined;
    if (!id || !found)
      return {
        ok: false,
        errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }],
      };
    if (found.record.IsDeleted)
      return {
        ok: false,
        id,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      };
    return {
      ok: true,
      apply: () => {
        deleteRecord(ctx.store, found.record, at);
        return { id, journal: { ...entry(req, time, found.type, id, {}), deleted: true } };
      },
    };
  });
  return commit(ctx, plans, allOrNone);
}

function commit(ctx: SandboxContext, plans: Planned[], allOrNone: boolean): SaveResult[] {
  const anyFailed = plans.some((p) => !p.ok);
  if (allOrNone && anyFailed)
    return plans.map((p) =>
      p.ok ? { success: false, errors: [ROLLED_BACK] } : { success: false, errors: p.errors },
    );
  const journal: JournalEntry[] = [];
  const results = plans.map((p): SaveResult => {
    if (!p.ok) return { ...(p.id ? { id: p.id } : {}), success: false, errors: p.errors };
    const done = p.apply();
    journal.push(done.journal);
    return { id: done.id, success: true, errors: [] };
  });
  ctx.journal(journal);
  return results;
}

function entry(
  req: Request,
  time: string,
  objectType: string,
  id: string,
  fields: Record<string, unknown>,
): JournalEntry {
  return {
    time,
    method: req.method,
    path: req.originalUrl.split('?')[0],
    objectType,
    id,
    fields: { ...fields },
  };
}
