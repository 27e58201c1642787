/**
 * SOQL tokens. Literals follow the SOQL reference (NOTES §2.2, §4 "SOQL literals"): strings in single quotes
 * with backslash escapes, unquoted dates `YYYY-MM-DD` and datetimes `YYYY-MM-DDThh:mm:ss` + `Z` or `±hh:mm`,
 * date literals such as `TODAY` and `LAST_N_DAYS:30`. Keywords are plain words, matched case-insensitively
 * by the parser.
 */

import { malformed } from './soql-error';

export type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'date'; value: string; at: number }
  | { kind: 'datetime'; value: string; at: number }
  | { kind: 'punct'; text: string; at: number }
  | { kind: 'end'; at: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)/;
// A word may carry a dotted relationship path (Account.Name) or a date literal's `:n` (LAST_N_DAYS:30).
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:\d+)?/;
const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ','];

/** Escapes inside a SOQL string literal (SOQL reference, "Quoted String Escape Sequences"). */
const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  // Kept escaped so LIKE can tell a literal % or _ from a wildcard (like-pattern.ts).
  '%': '\\%',
  _: '\\_',
};

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= soql.length) throw malformed(`unterminated string literal at column ${i + 1}`);
        const c = soql[j];
        if (c === '\\') {
          const escaped = ESCAPES[soql[j + 1]];
          if (escaped === undefined)
            throw malformed(`Invalid string literal '${soql.slice(i, j + 2)}'. Illegal character sequence`);
          value += escaped;
          j += 2;
        } else if (c === "'") {
          j++;
          break;
        } else {
          value += c;
          j++;
        }
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', value: datetime[0], at: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', value: date[0], at: i });
      i += date[0].length;
      continue;
    }
    const number =
      /^[\d.]/.test(ch) || (/^[+-]/.test(ch) && /^[+-][\d.]/.test(rest)) ? NUMBER.exec(rest) : null;
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'punct', text: op, at: i });
      i += op.length;
      continue;
    }
    throw malformed(`unexpected token: '${ch}' at column ${i + 1}`);
  }
  tokens.push({ kind: 'end', at: soql.length });
  return tokens;
}
