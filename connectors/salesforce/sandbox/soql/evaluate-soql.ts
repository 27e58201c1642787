/**
 * Binds a parsed query to an org's schema (canonical names, field types; INVALID_TYPE / INVALID_FIELD as
 * Salesforce answers them, NOTES §3.1) and evaluates it over rows. Pure: the rows, the way to read a field
 * through parent lookups and the clock are arguments.
 *
 * Semantics kept from SOQL: text comparisons, IN and LIKE are case-insensitive; `!=` matches nulls, the
 * ordering operators never do; a date literal (TODAY, LAST_N_DAYS:n) is a range of days (date-literals.ts).
 */

import { dateLiteralRange, datetimeMs, isoDay } from './date-literals';
import type { ComparisonOperator, Condition, FieldPath, Literal, SoqlQuery } from './parse-soql';
import { malformed, noSuchColumn, SoqlError, unsupportedType } from './soql-error';

export type SoqlFieldType = 'id' | 'reference' | 'string' | 'boolean' | 'number' | 'date' | 'datetime';

export type ResolvedField = {
  /** Canonical names along the path, e.g. ['Account', 'Name']. */
  path: string[];
  /** sObject type at each relationship step (['Account'] for Account.Name; [] for a plain field). */
  parents: string[];
  type: SoqlFieldType;
};

export type SoqlSchema = {
  /** Canonical name of an sObject type (case-insensitive lookup), or undefined. */
  objectName(name: string): string | undefined;
  /** Resolves `path` on `object`, following parent relationships; undefined when any step is unknown. */
  resolveField(object: string, path: FieldPath): ResolvedField | undefined;
};

type BoundCondition =
  | { kind: 'and' | 'or'; items: BoundCondition[] }
  | { kind: 'not'; item: BoundCondition }
  | { kind: 'test'; field: ResolvedField; test: (value: unknown) => boolean };

export type BoundQuery = {
  object: string;
  fields: ResolvedField[] | 'count';
  where?: BoundCondition;
  orderBy: { field: ResolvedField; descending: boolean; nullsLast: boolean }[];
  limit?: number;
  offset?: number;
};

export type ReadField<R> = (row: R, field: ResolvedField) => unknown;

export function bindQuery(query: SoqlQuery, schema: SoqlSchema, nowMs: number): BoundQuery {
  const object = schema.objectName(query.object);
  if (!object) throw unsupportedType(query.object);
  const resolve = (path: FieldPath): ResolvedField => {
    const field = schema.resolveField(object, path);
    if (!field) throw noSuchColumn(path.join('.'), object);
    return field;
  };
  let fields: ResolvedField[] | 'count' = 'count';
  if (query.fields !== 'count') {
    const seen = new Set<string>();
    fields = [];
    for (const path of query.fields) {
      const field = resolve(path);
      const key = field.path.join('.');
      if (seen.has(key)) throw malformed(`duplicate field selected: ${key}`);
      seen.add(key);
      fields.push(field);
    }
  }
  const bindCondition = (c: Condition): BoundCondition => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return { kind: c.kind, items: c.items.map(bindCondition) };
      case 'not':
        return { kind: 'not', item: bindCondition(c.item) };
      case 'compare': {
        const field = resolve(c.field);
        return { kind: 'test', field, test: comparison(field, c.op, c.value, nowMs) };
      }
      case 'in': {
        const field = resolve(c.field);
        const tests = c.values.map((v) => comparison(field, '=', v, nowMs));
        const any = (value: unknown) => tests.some((t) => t(value));
        // NOT IN keeps nulls, like != (SOQL matches a null against neither list).
        return { kind: 'test', field, test: c.negated ? (v) => !any(v) : any };
      }
      case 'like': {
        const field = resolve(c.field);
        if (field.type !== 'string' && field.type !== 'id' && field.type !== 'reference')
          throw new SoqlError(
            'INVALID_FIELD',
            `invalid operator on ${field.type} field: ${field.path.join('.')} LIKE`,
          );
        const regex = likeRegex(c.pattern);
        return { kind: 'test', field, test: (v) => typeof v === 'string' && regex.test(v) };
      }
    }
  };
  return {
    object,
    fields,
    where: query.where && bindCondition(query.where),
    orderBy: query.orderBy.map((o) => ({ ...o, field: resolve(o.field) })),
    limit: query.limit,
    offset: query.offset,
  };
}

/** `%` any run, `_` one character, `\%` and `\_` themselves (tokenize.ts keeps them escaped). */
export function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i];
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function typeMismatch(field: ResolvedField, literal: Literal): SoqlError {
  const quoted = literal.kind === 'string';
  const wanted =
    field.type === 'number'
      ? 'double'
      : field.type === 'datetime'
        ? 'dateTime'
        : field.type === 'id' || field.type === 'reference'
          ? 'string'
          : field.type;
  return new SoqlError(
    'INVALID_FIELD',
    `value of filter criterion for field '${field.path.join('.')}' must be of type ${wanted}` +
      (quoted ? ' and should not be enclosed in quotes' : ''),
  );
}

/** Comparable form of a stored value of a field type; null stays null. */
function comparable(type: SoqlFieldType, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'number':
      return Number(value);
    case 'boolean':
      return value === true;
    case 'datetime':
      return datetimeMs(String(value));
    case 'date':
      return String(value);
    case 'id':
    case 'reference':
      // 15- and 18-character ids name the same record; the first 15 are the case-sensitive id.
      return String(value).slice(0, 15);
    default:
      return String(value).toLowerCase();
  }
}

function applyOperator(op: ComparisonOperator, a: string | number | boolean, b: string | number | boolean) {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function comparison(
  field: ResolvedField,
  op: ComparisonOperator,
  literal: Literal,
  nowMs: number,
): (value: unknown) => boolean {
  if (literal.kind === 'null') {
    if (op === '=') return (v) => v === null || v === undefined;
    if (op === '!=') return (v) => v !== null && v !== undefined;
    throw malformed(`invalid operator ${op} with null on field ${field.path.join('.')}`);
  }
  if (literal.kind === 'dateLiteral') {
    if (field.type !== 'date' && field.type !== 'datetime') throw typeMismatch(field, literal);
    const range = dateLiteralRange(literal.name, literal.n, nowMs);
    const [start, end] =
      field.type === 'date' ? [isoDay(range.startMs), isoDay(range.endMs)] : [range.startMs, range.endMs];
    return (raw) => {
      const v = comparable(field.type, raw) as string | number | null;
      if (v === null) return op === '!=';
      switch (op) {
        case '=':
          return v >= start && v < end;
        case '!=':
          return v < start || v >= end;
        case '<':
          return v < start;
        case '<=':
          return v < end;
        case '>':
          return v >= end;
        case '>=':
          return v >= start;
      }
    };
  }
  let target: string | number | boolean;
  switch (field.type) {
    case 'number':
      if (literal.kind !== 'number') throw typeMismatch(field, literal);
      target = literal.value;
      break;
    case 'boolean':
      if (literal.kind !== 'boolean') throw typeMismatch(field, literal);
      target = literal.value;
      break;
    case 'date':
      if (literal.kind !== 'date') throw typeMismatch(field, literal);
      target = literal.value;
      break;
    case 'datetime':
      if (literal.kind !== 'datetime') throw typeMismatch(field, literal);
      target = datetimeMs(literal.value);
      break;
    default:
      if (literal.kind !== 'string') throw typeMismatch(field, literal);
      target = comparable(field.type, literal.value) as string;
  }
  return (raw) => {
    const v = comparable(field.type, raw);
    if (v === null) return op === '!=';
    return applyOperator(op, v, target);
  };
}

function matches<R>(c: BoundCondition, row: R, read: ReadField<R>): boolean {
  switch (c.kind) {
    case 'and':
      return c.items.every((item) => matches(item, row, read));
    case 'or':
      return c.items.some((item) => matches(item, row, read));
    case 'not':
      return !matches(c.item, row, read);
    case 'test':
      return c.test(read(row, c.field));
  }
}

/**
 * The rows a bound query selects, in ORDER BY order (input order otherwise), before LIMIT/OFFSET are
 * applied by `applyLimit` (COUNT() needs the count of all matches).
 */
export function selectRows<R>(query: BoundQuery, rows: Iterable<R>, read: ReadField<R>): R[] {
  const out: R[] = [];
  for (const row of rows) if (!query.where || matches(query.where, row, read)) out.push(row);
  if (query.orderBy.length > 0) {
    const keys = new Map<R, (string | number | boolean | null)[]>();
    for (const row of out)
      keys.set(
        row,
        query.orderBy.map((o) => comparable(o.field.type, read(row, o.field))),
      );
    // Array.prototype.sort is stable, so ties keep input (id) order.
    out.sort((x, y) => {
      const kx = keys.get(x)!;
      const ky = keys.get(y)!;
      for (let i = 0; i < query.orderBy.length; i++) {
        const { descending, nullsLast } = query.orderBy[i];
        const a = kx[i];
        const b = ky[i];
        if (a === b) continue;
        if (a === null) return nullsLast ? 1 : -1;
        if (b === null) return nullsLast ? -1 : 1;
        const order = a < b ? -1 : 1;
        return descending ? -order : order;
      }
      return 0;
    });
  }
  return out;
}

export function applyLimit<R>(query: BoundQuery, rows: R[]): R[] {
  const start = query.offset ?? 0;
  return rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
