/**
 * `GET …/query?q=`, `…/queryAll?q=` and `…/query/<locator>` (NOTES §2.1, §7.3). Pages of `batchSize` rows
 * (default 2,000; `Sforce-Query-Options: batchSize=N` honoured within 200..2,000, [D headers_queryoptions]);
 * `nextRecordsUrl` ends in the locator `<cursorId>-<offset>`, the only part jsforce reads back. A cursor is a
 * snapshot of the matching rows, taken when the query ran.
 */

import { Router, type Request } from 'express';
import { objectDef, fieldDef, type OrgStore, type SfRecord } from './org-store';
import { SalesforceApiError } from './salesforce-error';
import { soqlType } from './sobject-schema';
import type { SandboxContext } from './sandbox-context';
import {
  applyLimit,
  bindQuery,
  parseSoql,
  selectRows,
  SoqlError,
  type ResolvedField,
  type SoqlSchema,
} from './soql';
import { readPath, versionOf, wireQueryRow } from './wire-record';

const DEFAULT_BATCH = 2000;
const MAX_CURSORS = 100;

type Cursor = { rows: Record<string, unknown>[]; batchSize: number };

/** The org's sObjects as the SOQL evaluator sees them; relationship steps go through reference fields. */
export function orgSoqlSchema(store: OrgStore): SoqlSchema {
  return {
    objectName: (name) => objectDef(store, name)?.name,
    resolveField(object, path): ResolvedField | undefined {
      let def = objectDef(store, object);
      const names: string[] = [];
      const parents: string[] = [];
      for (let i = 0; i < path.length - 1; i++) {
        const lower = path[i].toLowerCase();
        const ref = def && [...def.fields.values()].find((f) => f.relationshipName?.toLowerCase() === lower);
        if (!ref?.referenceTo) return undefined;
        names.push(ref.relationshipName!);
        parents.push(ref.referenceTo);
        def = objectDef(store, ref.referenceTo);
      }
      const field = def && fieldDef(def, path[path.length - 1]);
      if (!field) return undefined;
      return { path: [...names, field.name], parents, type: soqlType(field.type) };
    },
  };
}

function batchSizeOf(req: Request): number {
  const header = req.get('Sforce-Query-Options') ?? '';
  const match = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!match) return DEFAULT_BATCH;
  return Math.min(2000, Math.max(200, Number(match[1])));
}

export function queryRoutes(ctx: SandboxContext): Router {
  const router = Router({ mergeParams: true });
  const cursors = new Map<string, Cursor>();
  let cursorSeq = 0;

  const page = (version: string, cursorId: string, cursor: Cursor, offset: number) => {
    const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
    const done = end >= cursor.rows.length;
    if (done) cursors.delete(cursorId);
    return {
      totalSize: cursor.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${cursorId}-${end}` }),
      records: cursor.rows.slice(offset, end),
    };
  };

  const run = (req: Request, includeDeleted: boolean) => {
    const version = versionOf(req);
    const soql = typeof req.query.q === 'string' ? req.query.q : '';
    let bound;
    try {
      bound = bindQuery(parseSoql(soql), orgSoqlSchema(ctx.store), ctx.now());
    } catch (error) {
      if (error instanceof SoqlError) throw new SalesforceApiError(400, error.errorCode, error.message);
      throw error;
    }
    const type = bound.object;
    const rows = [...ctx.store.records.get(type)!.values()].filter((r) => includeDeleted || !r.IsDeleted);
    const read = (row: SfRecord, field: ResolvedField) => readPath(ctx.store, type, row, field);
    const selected = applyLimit(bound, selectRows(bound, rows, read));
    if (bound.fields === 'count') return { totalSize: selected.length, done: true, records: [] };
    const fields = bound.fields;
    const cursor: Cursor = {
      rows: selected.map((r) => wireQueryRow(ctx.store, version, type, r, fields)),
      batchSize: batchSizeOf(req),
    };
    // Locators look like Salesforce's: 01g + 15 characters, then -offset (NOTES §2.1).
    const cursorId = `01g5g${String(++cursorSeq).padStart(10, '0')}AAA`;
    if (cursor.rows.length > cursor.batchSize) {
      cursors.set(cursorId, cursor);
      if (cursors.size > MAX_CURSORS) cursors.delete(cursors.keys().next().value as string);
    }
    return page(version, cursorId, cursor, 0);
  };

  router.get('/query', (req, res) => {
    res.json(run(req, false));
  });
  router.get('/queryAll', (req, res) => {
    res.json(run(req, true));
  });
  router.get(['/query/:locator', '/queryAll/:locator'], (req, res) => {
    const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(req.params.locator);
    const cursor = match && cursors.get(match[1]);
    if (!match || !cursor)
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    res.json(page(versionOf(req), match[1], cursor, Number(match[2])));
  });
  return router;
}
