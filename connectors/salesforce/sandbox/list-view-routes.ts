/**
 * The REST read side of list views (sandbox NOTES-list-views-campaigns.md §2; Postman collection
 * rest/list_views.json, list_view_describe.json, list_view_results.json):
 * - `GET /sobjects/{Type}/listviews` → `{done, listviews: [{describeUrl, developerName, id, label, resultsUrl,
 *   soqlCompatible, url}], nextRecordsUrl, size, sobjectType}`, and `GET …/listviews/{id}` → one of those;
 * - `GET …/listviews/{id}/describe` → `{columns, id, orderBy, query, relatedEntityId, scope, scopeEntityId,
 *   sobjectType, whereCondition}`;
 * - `GET …/listviews/{id}/results?limit=&offset=` → `{columns, developerName, done, id, label, records:
 *   [{columns: [{fieldNameOrPath, value}]}], size}`, the view's filter run on the stored records (limit 1..2000,
 *   default 25; offset = rows skipped). A hidden Id column comes first, as Salesforce adds one to every view.
 * Mounted before the sObject routes, whose `/sobjects/{Type}/{id}` would take `listviews` for a record id.
 */

import { Router, type Request } from 'express';
import { columnField, type ListViewModel, type StoredListView } from './list-view-model';
import { fieldDef, findRecord, objectDef, type OrgStore, type SfRecord } from './org-store';
import { notFound, notFoundType, SalesforceApiError } from './salesforce-error';
import type { SandboxContext } from './sandbox-context';
import type { FieldDef } from './sobject-schema';
import { versionOf } from './wire-record';

const MAX_LIMIT = 2000;
const DEFAULT_LIMIT = 25;

type Column = {
  ascendingLabel: string;
  descendingLabel: string;
  fieldNameOrPath: string;
  hidden: boolean;
  label: string;
  searchable: boolean;
  selectListItem: string;
  sortDirection: string | null;
  sortIndex: number | null;
  sortable: boolean;
  type: string;
};

const NUMERIC: readonly FieldDef['type'][] = ['double', 'currency', 'percent', 'int'];

/** The field a path names on `object` (`Account.Name` through the AccountId lookup). */
function pathField(store: OrgStore, object: string, path: string): FieldDef | undefined {
  let def = objectDef(store, object);
  const steps = path.split('.');
  for (const step of steps.slice(0, -1)) {
    const ref = def && [...def.fields.values()].find((f) => f.relationshipName === step);
    def = ref?.referenceTo ? objectDef(store, ref.referenceTo) : undefined;
  }
  return def ? fieldDef(def, steps[steps.length - 1]) : undefined;
}

function pathValue(store: OrgStore, object: string, record: SfRecord, path: string): unknown {
  const steps = path.split('.');
  let current: SfRecord | undefined = record;
  let def = objectDef(store, object);
  for (const step of steps.slice(0, -1)) {
    const ref = def && [...def.fields.values()].find((f) => f.relationshipName === step);
    const parentId: unknown = ref && current ? current[ref.name] : undefined;
    const found: { record: SfRecord } | undefined =
      typeof parentId === 'string' ? findRecord(store, parentId) : undefined;
    current = found && !found.record.IsDeleted ? found.record : undefined;
    def = ref?.referenceTo ? objectDef(store, ref.referenceTo) : undefined;
  }
  return current?.[steps[steps.length - 1]];
}

function columnOf(store: OrgStore, object: string, path: string, hidden: boolean, sortIndex: number | null) {
  const f = pathField(store, object, path);
  const numeric = f !== undefined && NUMERIC.includes(f.type);
  const column: Column = {
    ascendingLabel: numeric ? '9-0' : 'Z-A',
    descendingLabel: numeric ? '0-9' : 'A-Z',
    fieldNameOrPath: path,
    hidden,
    label: f?.label ?? path,
    searchable: f?.type === 'string' || f?.type === 'email' || f?.type === 'phone',
    selectListItem: f?.type === 'picklist' ? `toLabel(${path})` : path,
    sortDirection: sortIndex === null ? null : 'ascending',
    sortIndex,
    sortable: true,
    type: f?.type ?? 'string',
  };
  return column;
}

/** The view's visible columns as field paths, then the hidden Id. */
function columnsOf(store: OrgStore, view: StoredListView): Column[] {
  const paths = view.columns.map((c) => columnField(store, view.object, c)!);
  return [
    ...paths.map((p) => columnOf(store, view.object, p, false, p === 'Name' ? 0 : null)),
    columnOf(store, view.object, 'Id', true, null),
  ];
}

const soqlLiteral = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function whereOf(store: OrgStore, view: StoredListView) {
  const conditions = view.filters.map((f) => ({
    field: columnField(store, view.object, f.field)!,
    operator: f.operation,
    values: f.value.split(',').map((v) => v.trim()),
  }));
  if (conditions.length === 0) return null;
  if (conditions.length === 1) return conditions[0];
  return { conditions, conjunction: view.booleanFilter === undefined ? 'and' : view.booleanFilter };
}

function queryOf(store: OrgStore, view: StoredListView): string {
  const select = columnsOf(store, view).map((c) => c.selectListItem);
  const where = view.filters.map((f) => {
    const field = columnField(store, view.object, f.field)!;
    const values = f.value.split(',').map((v) => soqlLiteral(v.trim()));
    const op = f.operation === 'equals' ? 'IN' : 'NOT IN';
    return `${field} ${op} (${values.join(', ')})`;
  });
  let condition = where.join(' AND ');
  if (view.booleanFilter !== undefined)
    condition = view.booleanFilter.replace(/\d+/g, (n) => `(${where[Number(n) - 1]})`);
  return (
    `SELECT ${select.join(', ')} FROM ${view.object}` +
    (condition === '' ? '' : ` WHERE ${condition}`) +
    ' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST'
  );
}

function intParam(raw: unknown, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new SalesforceApiError(
      400,
      'INVALID_QUERY_PARAMETER_VALUE',
      `${name}: must be a whole number from ${min} to ${max}, was ${String(raw)}`,
    );
  return n;
}

export function listViewRoutes(ctx: SandboxContext, views: ListViewModel): Router {
  const router = Router({ mergeParams: true });
  const { store } = ctx;

  const base = (req: Request, view: StoredListView) =>
    `/services/data/${versionOf(req)}/sobjects/${view.object}/listviews/${view.id}`;
  const summary = (req: Request, view: StoredListView) => ({
    describeUrl: `${base(req, view)}/describe`,
    developerName: view.developerName,
    id: view.id,
    label: view.label,
    resultsUrl: `${base(req, view)}/results`,
    soqlCompatible: true,
    url: base(req, view),
  });
  const viewOrThrow = (req: Request): StoredListView => {
    const def = objectDef(store, req.params.type);
    if (!def) throw notFoundType(req.params.type);
    const view = views.byId(def.name, req.params.id);
    if (!view) throw notFound();
    return view;
  };

  router.get('/sobjects/:type/listviews', (req, res) => {
    const def = objectDef(store, req.params.type);
    if (!def) throw notFoundType(req.params.type);
    const all = views.ofObject(def.name);
    res.json({
      done: true,
      listviews: all.map((v) => summary(req, v)),
      nextRecordsUrl: null,
      size: all.length,
      sobjectType: def.name,
    });
  });

  router.get('/sobjects/:type/listviews/:id', (req, res) => {
    res.json(summary(req, viewOrThrow(req)));
  });

  router.get('/sobjects/:type/listviews/:id/describe', (req, res) => {
    const view = viewOrThrow(req);
    res.json({
      columns: columnsOf(store, view),
      id: view.id,
      orderBy: [
        { fieldNameOrPath: 'Name', nullsPosition: 'first', sortDirection: 'ascending' },
        { fieldNameOrPath: 'Id', nullsPosition: 'first', sortDirection: 'ascending' },
      ],
      query: queryOf(store, view),
      relatedEntityId: null,
      scope: view.filterScope.toLowerCase(),
      scopeEntityId: null,
      sobjectType: view.object,
      whereCondition: whereOf(store, view),
    });
  });

  router.get('/sobjects/:type/listviews/:id/results', (req, res) => {
    const view = viewOrThrow(req);
    const limit = intParam(req.query.limit, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
    const offset = intParam(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
    const columns = columnsOf(store, view);
    const members = views.members(view);
    const page = members.slice(offset, offset + limit);
    res.json({
      columns,
      developerName: view.developerName,
      done: offset + page.length >= members.length,
      id: view.id,
      label: view.label,
      records: page.map((record) => ({
        columns: columns.map((c) => {
          const value = pathValue(store, view.object, record, c.fieldNameOrPath);
          return {
            fieldNameOrPath: c.fieldNameOrPath,
            value: value === undefined || value === null ? null : String(value),
          };
        }),
      })),
      size: page.length,
    });
  });

  return router;
}
