/**
 * The org's list views (sandbox NOTES-list-views-campaigns.md §1): saved and read as Metadata API `ListView`
 * components (fullName `Object.DeveloperName`, label, filterScope, filters {field, operation, value}, columns,
 * booleanFilter), listed and run through REST (list-view-routes.ts). Each view gets a `00B…` id when first
 * saved and keeps it on later upserts, so a REST reader's id stays valid while the view is redeployed.
 *
 * Evaluation covers what a deployed view can express here: filterScope Everything (every live record; Mine
 * would need record ownership per REST user, which the sandbox's single API user makes moot, so it is
 * refused), filters with the operations equals / notEqual (a comma in `value` means any of, as in the UI),
 * combined with AND, or by booleanFilter's `1 AND (2 OR 3)` grammar. Picklist and text comparisons ignore
 * case, as SOQL's `=` does.
 */

import { fieldDef, objectDef, type OrgStore, type SfRecord } from './org-store';
import type { MetadataError, SaveOutcome } from './metadata-model';
import { salesforceId } from './salesforce-ids';
import { childrenNamed, childText, type XmlElement, type XmlValue } from './soap-xml';

export type ListViewFilterMeta = { field: string; operation: string; value: string };

export type ListViewMeta = {
  fullName: string;
  booleanFilter?: string;
  columns: string[];
  filterScope: string;
  filters: ListViewFilterMeta[];
  label: string;
};

export type StoredListView = ListViewMeta & { id: string; object: string; developerName: string };

/** Metadata's FilterScope values (ListView, Metadata API Developer Guide); the sandbox evaluates Everything. */
const FILTER_SCOPES = ['Everything', 'Mine', 'Queue', 'Delegated', 'MyTerritory', 'MyTeamTerritory', 'Team'];
/** Metadata's FilterOperation values; the sandbox evaluates equals and notEqual. */
const FILTER_OPERATIONS = [
  'equals',
  'notEqual',
  'lessThan',
  'greaterThan',
  'lessOrEqual',
  'greaterOrEqual',
  'contains',
  'notContain',
  'startsWith',
  'includes',
  'excludes',
  'within',
];
const EVALUATED_OPERATIONS = ['equals', 'notEqual'];
const LABEL_MAX = 40;
const DEVELOPER_NAME_MAX = 40;

/**
 * ListView column names that are not the field's API name (Metadata API Developer Guide, ListView: "Field
 * names in the ListView columns don't always match their API name counterparts"), for Contact.
 */
const CONTACT_COLUMNS: Readonly<Record<string, string>> = {
  FULL_NAME: 'Name',
  'CONTACT.FIRST_NAME': 'FirstName',
  'CONTACT.LAST_NAME': 'LastName',
  'CONTACT.EMAIL': 'Email',
  'CONTACT.PHONE1': 'Phone',
  'ACCOUNT.NAME': 'Account.Name',
};

const integrity = (message: string): MetadataError => ({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message });
const missing = (name: string): MetadataError => ({
  statusCode: 'REQUIRED_FIELD_MISSING',
  message: `Required field is missing: ${name}`,
});

/** The API field path a ListView column or filter field names on `object`, or undefined when unknown. */
export function columnField(store: OrgStore, object: string, column: string): string | undefined {
  const def = objectDef(store, object);
  if (!def) return undefined;
  const mapped = def.name === 'Contact' ? CONTACT_COLUMNS[column.toUpperCase()] : undefined;
  if (mapped) return mapped;
  return fieldDef(def, column)?.name;
}

export class ListViewModel {
  private readonly views = new Map<string, StoredListView>();
  private sequence = 0;

  constructor(private readonly store: OrgStore) {}

  /** A view by full name (any case). */
  get(fullName: string): StoredListView | undefined {
    return this.views.get(fullName.toLowerCase());
  }

  /** The views of one object, in the order they were first saved. */
  ofObject(object: string): StoredListView[] {
    const name = objectDef(this.store, object)?.name;
    return [...this.views.values()].filter((v) => v.object === name);
  }

  byId(object: string, id: string): StoredListView | undefined {
    const wanted = id.slice(0, 15);
    return this.ofObject(object).find((v) => v.id.slice(0, 15) === wanted);
  }

  /** Saves a view defined in code (an org's standard views, tests), as an upsert would. */
  define(meta: ListViewMeta): StoredListView {
    const outcome = this.put(meta, 'upsert');
    if (outcome.errors.length > 0) throw new Error(outcome.errors.map((e) => e.message).join('; '));
    return this.get(meta.fullName)!;
  }

  save(element: XmlElement, mode: 'create' | 'upsert'): SaveOutcome {
    const booleanFilter = childText(element, 'booleanFilter');
    const meta: ListViewMeta = {
      fullName: childText(element, 'fullName') ?? '',
      ...(booleanFilter ? { booleanFilter } : {}),
      columns: childrenNamed(element, 'columns').map((c) => c.text.trim()),
      filterScope: childText(element, 'filterScope') ?? '',
      filters: childrenNamed(element, 'filters').map((f) => ({
        field: childText(f, 'field') ?? '',
        operation: childText(f, 'operation') ?? '',
        value: childText(f, 'value') ?? '',
      })),
      label: childText(element, 'label') ?? '',
    };
    return this.put(meta, mode);
  }

  private put(meta: ListViewMeta, mode: 'create' | 'upsert'): SaveOutcome {
    const { fullName } = meta;
    const errors = this.problems(meta);
    if (errors.length > 0) return { fullName, created: false, errors };
    const dot = fullName.indexOf('.');
    const object = objectDef(this.store, fullName.slice(0, dot))!.name;
    const developerName = fullName.slice(dot + 1);
    const key = fullName.toLowerCase();
    const existing = this.views.get(key);
    if (existing && mode === 'create')
      return {
        fullName,
        created: false,
        errors: [
          {
            statusCode: 'DUPLICATE_DEVELOPER_NAME',
            message: `The list view name ${developerName} is already in use on ${object}.`,
          },
        ],
      };
    const id = existing?.id ?? salesforceId('00B', ++this.sequence);
    this.views.set(key, {
      ...meta,
      fullName: `${object}.${existing?.developerName ?? developerName}`,
      id,
      object,
      developerName: existing?.developerName ?? developerName,
    });
    return { fullName, created: existing === undefined, errors: [] };
  }

  private problems(meta: ListViewMeta): MetadataError[] {
    const errors: MetadataError[] = [];
    const dot = meta.fullName.indexOf('.');
    const object = dot > 0 ? meta.fullName.slice(0, dot) : '';
    const name = dot > 0 ? meta.fullName.slice(dot + 1) : '';
    if (meta.fullName === '') errors.push(missing('fullName'));
    else if (!object || !name)
      errors.push(integrity(`List view full names are Object.Name: ${meta.fullName}`));
    else if (!objectDef(this.store, object))
      errors.push({
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: `In field: fullName - no CustomObject named ${object} found`,
      });
    else if (
      name.length > DEVELOPER_NAME_MAX ||
      !/^[A-Za-z](?!.*__)[A-Za-z0-9_]*[A-Za-z0-9]$|^[A-Za-z]$/.test(name)
    )
      errors.push(
        integrity(
          `The list view API name ${name} can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, not contain two consecutive underscores, and be at most ${DEVELOPER_NAME_MAX} characters.`,
        ),
      );
    if (meta.label === '') errors.push(missing('label'));
    else if (meta.label.length > LABEL_MAX)
      errors.push(integrity(`View Name: data value too large (max length=${LABEL_MAX})`));
    if (meta.filterScope === '') errors.push(missing('filterScope'));
    else if (!FILTER_SCOPES.includes(meta.filterScope))
      errors.push(integrity(`filterScope: bad value for restricted picklist field: ${meta.filterScope}`));
    else if (meta.filterScope !== 'Everything')
      errors.push(integrity(`The sandbox evaluates filterScope Everything only, not ${meta.filterScope}.`));
    if (errors.length > 0 || !object) return errors;
    for (const [i, f] of meta.filters.entries()) {
      if (f.field === '') errors.push(missing(`filters[${i}].field`));
      else if (!columnField(this.store, object, f.field))
        errors.push(integrity(`In field: filters - no field named ${f.field} found on ${object}`));
      if (!FILTER_OPERATIONS.includes(f.operation))
        errors.push(
          integrity(`filters[${i}].operation: bad value for restricted picklist field: ${f.operation}`),
        );
      else if (!EVALUATED_OPERATIONS.includes(f.operation))
        errors.push(integrity(`The sandbox evaluates equals and notEqual filters, not ${f.operation}.`));
    }
    for (const column of meta.columns)
      if (!columnField(this.store, object, column))
        errors.push(integrity(`In field: columns - no column named ${column} found on ${object}`));
    if (meta.booleanFilter !== undefined) {
      try {
        booleanFilterTest(meta.booleanFilter, meta.filters.length);
      } catch (error) {
        errors.push(integrity(`booleanFilter: ${(error as Error).message}`));
      }
    }
    return errors;
  }

  /** The live records the view shows, in its order (Name, then Id, as a view sorted by name is). */
  members(view: StoredListView): SfRecord[] {
    const tests = view.filters.map((f) => this.filterTest(view.object, f));
    const combine =
      view.booleanFilter === undefined
        ? (results: boolean[]) => results.every(Boolean)
        : booleanFilterTest(view.booleanFilter, view.filters.length);
    const rows = [...this.store.records.get(view.object)!.values()].filter(
      (r) => !r.IsDeleted && combine(tests.map((t) => t(r))),
    );
    return rows.sort(
      (a, b) =>
        String(a.Name ?? '').localeCompare(String(b.Name ?? '')) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0),
    );
  }

  private filterTest(object: string, f: ListViewFilterMeta): (r: SfRecord) => boolean {
    const field = columnField(this.store, object, f.field)!;
    const wanted = f.value.split(',').map((v) => v.trim().toLowerCase());
    const equals = (r: SfRecord) => {
      const value = r[field];
      const text = value === null || value === undefined ? '' : String(value).toLowerCase();
      return wanted.includes(text);
    };
    return f.operation === 'equals' ? equals : (r) => !equals(r);
  }
}

/**
 * booleanFilter's grammar: filter numbers 1..n joined by AND / OR, with parentheses (Metadata API ListView:
 * "(1 AND 2) OR 3"). Returns the combination of the filters' results; throws on a bad expression.
 */
export function booleanFilterTest(expression: string, filters: number): (results: boolean[]) => boolean {
  const tokens = expression.match(/\d+|AND|OR|\(|\)|\S+/gi) ?? [];
  let at = 0;
  type Node = (r: boolean[]) => boolean;
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = or();
      if (tokens[at++] !== ')') throw new Error(`missing ) in ${expression}`);
      return inner;
    }
    const n = Number(token);
    if (!Number.isInteger(n) || n < 1 || n > filters)
      throw new Error(`${token ?? 'end'} is not a filter number 1..${filters} in ${expression}`);
    return (r) => r[n - 1];
  };
  const and = (): Node => {
    let left = primary();
    while (tokens[at]?.toUpperCase() === 'AND') {
      at++;
      const l = left;
      const right = primary();
      left = (r) => l(r) && right(r);
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (tokens[at]?.toUpperCase() === 'OR') {
      at++;
      const l = left;
      const right = and();
      left = (r) => l(r) || right(r);
    }
    return left;
  };
  const tree = or();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${expression}`);
  return tree;
}

/** A ListView as readMetadata returns it (element order of the Metadata WSDL). */
export function listViewXml(view: StoredListView): XmlValue {
  return {
    fullName: view.fullName,
    booleanFilter: view.booleanFilter,
    columns: view.columns,
    filterScope: view.filterScope,
    filters: view.filters.map((f) => ({ field: f.field, operation: f.operation, value: f.value })),
    label: view.label,
  };
}
