/**
 * A parser for the SOQL subset jsforce and our connector send (NOTES §2.2): a field list (dotted parent
 * lookups, or `COUNT()` alone), one FROM object, WHERE with AND / OR / NOT and parentheses, the comparison
 * operators, IN / NOT IN, LIKE, ORDER BY (ASC|DESC, NULLS FIRST|LAST, several fields), LIMIT and OFFSET.
 * Everything else (subqueries, aggregates, GROUP BY, FOR UPDATE, …) is MALFORMED_QUERY, so a test never passes
 * on a query the sandbox only pretended to understand.
 *
 * @example parseSoql("SELECT Id FROM Contact WHERE Email LIKE '%@example.com' LIMIT 5")
 */

import { malformed } from './soql-error';
import { tokenize, type Token } from './tokenize';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  /** TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n (a range of whole days, date-literals.ts). */
  | { kind: 'dateLiteral'; name: string; n?: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A field as written: `Account.Name` → ['Account', 'Name']. */
export type FieldPath = string[];

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldPath; op: ComparisonOperator; value: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldPath; pattern: string };

export type OrderItem = { field: FieldPath; descending: boolean; nullsLast: boolean };

export type SoqlQuery = {
  /** The FROM object as written. */
  object: string;
  /** Selected fields, or 'count' for `SELECT COUNT()`. */
  fields: FieldPath[] | 'count';
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
};

const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW']);
const DATE_LITERALS_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'NULL',
  'TRUE',
  'FALSE',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'INCLUDES',
  'EXCLUDES',
]);

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isWord(word: string, token = this.peek()): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private isPunct(text: string, token = this.peek()): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  /** Salesforce's message names the token it choked on: "unexpected token: 'FORM'". */
  private unexpected(token = this.peek()): Error {
    if (token.kind === 'end') return malformed(`unexpected end of query: ${this.source}`);
    const text = this.source.slice(token.at).split(/\s/)[0];
    return malformed(`unexpected token: '${text}'`);
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw this.unexpected();
    this.i++;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.unexpected();
    this.i++;
  }

  private field(): FieldPath {
    const token = this.next();
    if (token.kind !== 'word' || RESERVED.has(token.text.toUpperCase()) || token.text.includes(':'))
      throw this.unexpected(token);
    return token.text.split('.');
  }

  query(): SoqlQuery {
    this.expectWord('SELECT');
    let fields: FieldPath[] | 'count';
    if (this.isWord('COUNT') && this.isPunct('(', this.tokens[this.i + 1])) {
      this.i += 2;
      // COUNT(field) is an aggregate (AggregateResult rows): not in the subset.
      if (!this.isPunct(')')) throw malformed('aggregate COUNT(field) is not supported by the sandbox');
      this.i++;
      fields = 'count';
    } else {
      fields = [this.field()];
      while (this.isPunct(',')) {
        this.i++;
        if (this.isPunct('(')) throw malformed('subqueries are not supported by the sandbox');
        fields.push(this.field());
      }
      if (this.isPunct('(')) throw malformed(`unexpected token: '('`);
    }
    this.expectWord('FROM');
    const from = this.next();
    if (from.kind !== 'word' || from.text.includes('.') || RESERVED.has(from.text.toUpperCase()))
      throw this.unexpected(from);
    const query: SoqlQuery = { object: from.text, fields, orderBy: [] };
    if (this.isWord('WHERE')) {
      this.i++;
      query.where = this.orExpression();
    }
    if (this.isWord('ORDER')) {
      this.i++;
      this.expectWord('BY');
      query.orderBy.push(this.orderItem());
      while (this.isPunct(',')) {
        this.i++;
        query.orderBy.push(this.orderItem());
      }
    }
    if (this.isWord('LIMIT')) {
      this.i++;
      query.limit = this.wholeNumber('LIMIT');
    }
    if (this.isWord('OFFSET')) {
      this.i++;
      query.offset = this.wholeNumber('OFFSET');
    }
    if (this.peek().kind !== 'end') throw this.unexpected();
    return query;
  }

  private wholeNumber(clause: string): number {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0)
      throw malformed(`${clause} must be a non-negative integer, found: ${this.describe(token)}`);
    return token.value;
  }

  private describe(token: Token): string {
    return token.kind === 'end' ? 'end of query' : `'${this.source.slice(token.at).split(/\s/)[0]}'`;
  }

  private orderItem(): OrderItem {
    const field = this.field();
    let descending = false;
    if (this.isWord('ASC')) this.i++;
    else if (this.isWord('DESC')) {
      this.i++;
      descending = true;
    }
    // "By default, null values are sorted first" (SOQL reference, ORDER BY) [U for DESC].
    let nullsLast = false;
    if (this.isWord('NULLS')) {
      this.i++;
      if (this.isWord('FIRST')) this.i++;
      else if (this.isWord('LAST')) {
        this.i++;
        nullsLast = true;
      } else throw this.unexpected();
    }
    return { field, descending, nullsLast };
  }

  private orExpression(): Condition {
    const items = [this.andExpression()];
    while (this.isWord('OR')) {
      this.i++;
      items.push(this.andExpression());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private andExpression(): Condition {
    const items = [this.unary()];
    while (this.isWord('AND')) {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private unary(): Condition {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.orExpression();
      this.expectPunct(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const field = this.field();
    const token = this.next();
    if (token.kind === 'punct' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      const op = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
      return { kind: 'compare', field, op, value: this.literal() };
    }
    if (this.isWord('LIKE', token)) {
      const pattern = this.next();
      if (pattern.kind !== 'string') throw this.unexpected(pattern);
      return { kind: 'like', field, pattern: pattern.value };
    }
    let negated = false;
    if (this.isWord('NOT', token)) {
      negated = true;
      if (!this.isWord('IN')) throw this.unexpected();
      this.i++;
    } else if (!this.isWord('IN', token)) throw this.unexpected(token);
    this.expectPunct('(');
    if (this.isWord('SELECT')) throw malformed('semi-join subqueries are not supported by the sandbox');
    const values = [this.literal()];
    while (this.isPunct(',')) {
      this.i++;
      values.push(this.literal());
    }
    this.expectPunct(')');
    return { kind: 'in', field, negated, values };
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'date':
        if (Number.isNaN(Date.parse(`${token.value}T00:00:00Z`)))
          throw malformed(`line 1:${token.at} no viable alternative at character '${token.value}'`);
        return { kind: 'date', value: token.value };
      case 'datetime':
        if (Number.isNaN(Date.parse(token.value)))
          throw malformed(`line 1:${token.at} no viable alternative at character '${token.value}'`);
        return { kind: 'datetime', value: token.value };
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'NULL') return { kind: 'null' };
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (DATE_LITERALS.has(upper)) return { kind: 'dateLiteral', name: upper };
        const [name, n] = upper.split(':');
        if (DATE_LITERALS_N.has(name) && n !== undefined) return { kind: 'dateLiteral', name, n: Number(n) };
        throw this.unexpected(token);
      }
      default:
        throw this.unexpected(token);
    }
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql), soql).query();
}
