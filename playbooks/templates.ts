/**
 * Handlebars for playbooks and rule texts: one private environment (no global helpers), compiled once at load,
 * and checked there: no unescaped output ({{{…}}} or {{& …}}), no partials, only our helpers, only values the
 * context has (CONTEXT_KEYS), and a trial render with a full and an empty context, so a template that would
 * fail fails at start-up and never on a rep's card. HTML renderings escape every value ({{…}} is escaped by
 * Handlebars); text renderings (noEscape) are for plain-text targets such as CRM properties and React.
 */
import Handlebars from 'handlebars';
import { CONTEXT_KEYS, type PlaybookContext } from './context';
import { formatDate, formatMoney, formatNumber, formatPercent, formatPlural, formatTimes } from './format';

type HelperOptions = { data?: { root?: { currency?: unknown } } };

/** Positional arguments of a helper call: Handlebars passes its options object last. */
function args(list: unknown[]): unknown[] {
  return list.slice(0, -1);
}

const finiteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optionalDigits = (v: unknown, fallback: number) => (finiteNumber(v) ? v : fallback);

/** {{money clvPredicted}} → "$1,200" in the context's currency. */
function money(...list: unknown[]): string {
  const [amount] = args(list);
  const options = list[list.length - 1] as HelperOptions;
  const currency = options?.data?.root?.currency;
  return finiteNumber(amount) ? formatMoney(amount, typeof currency === 'string' ? currency : 'USD') : '–';
}

const HELPERS: Record<string, (...list: unknown[]) => string> = {
  money,
  /** {{percent churnProbability}} → "64%", {{percent pAlive 1}} → "63.8%". */
  percent: (...list) => {
    const [v, digits] = args(list);
    return finiteNumber(v) ? formatPercent(v, optionalDigits(digits, 0)) : '–';
  },
  /** {{number expectedOrders 1}} → "2.4". */
  number: (...list) => {
    const [v, digits] = args(list);
    return finiteNumber(v) ? formatNumber(v, optionalDigits(digits, 0)) : '–';
  },
  /** {{times gapMultiple}} → "3×". */
  times: (...list) => {
    const [v] = args(list);
    return finiteNumber(v) ? formatTimes(v) : '–';
  },
  /** {{date nextOrderDate}} → "9 Mar 2026". */
  date: (...list) => {
    const [v] = args(list);
    return typeof v === 'string' ? formatDate(v) : '–';
  },
  /** {{plural openTickets "ticket" "tickets"}} → "1 ticket", "3 tickets". */
  plural: (...list) => {
    const [n, singular, plural] = args(list);
    return finiteNumber(n) ? formatPlural(n, String(singular ?? ''), String(plural ?? '')) : '–';
  },
  /** {{list recommendations}} → "A, B and C". */
  list: (...list) => {
    const [items] = args(list);
    if (!Array.isArray(items) || items.length === 0) return '–';
    const texts = items.map(String);
    return texts.length === 1 ? texts[0] : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
  },
};

export const HELPER_NAMES: readonly string[] = Object.keys(HELPERS);
const BUILT_IN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];
const SCOPE_CHANGING = new Set(['each', 'with']);
const KNOWN_HELPERS = Object.fromEntries([...HELPER_NAMES, ...BUILT_IN_HELPERS].map((h) => [h, true]));
const KNOWN_KEYS: ReadonlySet<string> = new Set(CONTEXT_KEYS);

const env = Handlebars.create();
for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);

export type CompiledTemplate = {
  html: (context: PlaybookContext) => string;
  text: (context: PlaybookContext) => string;
};

type AstNode = { type: string; [key: string]: unknown };
type PathNode = AstNode & { original: string; parts: string[]; data: boolean; depth: number };

/** What is wrong with a template's expressions (empty when nothing): unknown values, helpers, partials. */
type Problem = { line?: number; message: string };

function lineOf(node: AstNode): number | undefined {
  return (node.loc as { start?: { line?: number } } | undefined)?.start?.line;
}

function expressionProblems(program: AstNode): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const report = (node: AstNode, message: string) => {
    const line = lineOf(node);
    if (seen.has(`${line}:${message}`)) return;
    seen.add(`${line}:${message}`);
    problems.push({ line, message });
  };
  const checkPath = (path: PathNode, scopeDepth: number) => {
    if (path.data) {
      // @index, @first, @last, @key in loops; @root.x is a context value.
      if (path.parts[0] === 'root' && path.parts[1] !== undefined && !KNOWN_KEYS.has(path.parts[1]))
        report(path, unknownValue(path.original));
      return;
    }
    // Inside {{#each}} / {{#with}} names refer to the item; ../ climbs back towards the customer's context.
    if (scopeDepth - path.depth > 0) return;
    const head = path.parts[0];
    if (head !== undefined && !KNOWN_KEYS.has(head)) report(path, unknownValue(path.original));
  };
  const checkExpression = (node: AstNode | undefined, scopeDepth: number) => {
    if (!node) return;
    if (node.type === 'PathExpression') checkPath(node as PathNode, scopeDepth);
    else if (node.type === 'SubExpression') checkCall(node, scopeDepth);
  };
  const checkCall = (node: AstNode, scopeDepth: number) => {
    const path = node.path as AstNode;
    const params = (node.params as AstNode[]) ?? [];
    const pairs = ((node.hash as { pairs?: { value: AstNode }[] } | undefined)?.pairs ?? []).map(
      (p) => p.value,
    );
    const isCall = params.length > 0 || pairs.length > 0 || node.type !== 'MustacheStatement';
    if (path.type === 'PathExpression') {
      const name = (path as PathNode).original;
      if (isCall && !(name in KNOWN_HELPERS))
        report(
          path,
          `unknown helper "${name}"; the helpers are ${[...HELPER_NAMES, ...BUILT_IN_HELPERS].join(', ')}`,
        );
      else if (!isCall && !(name in KNOWN_HELPERS)) checkPath(path as PathNode, scopeDepth);
    }
    for (const p of [...params, ...pairs]) checkExpression(p, scopeDepth);
  };
  const walk = (node: AstNode | undefined, scopeDepth: number) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const statement of node.body as AstNode[]) walk(statement, scopeDepth);
        break;
      case 'MustacheStatement':
        if (node.escaped === false) report(node, '{{{…}}} and {{& …}} print a value unescaped; use {{…}}');
        checkCall(node, scopeDepth);
        break;
      case 'BlockStatement': {
        checkCall(node, scopeDepth);
        const name = (node.path as PathNode).original;
        walk(node.program as AstNode, SCOPE_CHANGING.has(name) ? scopeDepth + 1 : scopeDepth);
        walk(node.inverse as AstNode | undefined, scopeDepth);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        report(node, 'partials ({{> …}}) are not available in playbooks');
        break;
      case 'Decorator':
      case 'DecoratorBlock':
        report(node, 'decorators ({{* …}}) are not available in playbooks');
        break;
      default: // ContentStatement, CommentStatement
        break;
    }
  };
  walk(program, 0);
  return problems;
}

function unknownValue(name: string): string {
  return `unknown value "${name}"; the values are ${CONTEXT_KEYS.join(', ')}`;
}

/** A context with every value filled, and one with only what is always there: a template must render both. */
const TRIAL_CONTEXTS: PlaybookContext[] = [
  {
    firstName: 'Ada',
    Name: 'Ada',
    name: 'Ada',
    daysSinceLastOrder: 120,
    usualGapDays: 40,
    gapMultiple: 3,
    openTickets: 2,
    orders: 7,
    currency: 'USD',
    clvQuintile: 5,
    clvMonths: 12,
    clvPredicted: 1200,
    clvHistoric: 3400,
    expectedOrders: 2.4,
    expectedOrderValue: 180,
    pAlive: 0.64,
    churnProbability: 0.55,
    churnRisk: 'high',
    nextOrderDate: '2026-03-09',
    topDriver: 'no order for 120 days, longer than 80% of customers',
    drivers: ['no order for 120 days, longer than 80% of customers'],
    recommendations: ['Lamp', 'Vase'],
    topProduct: 'Lamp',
    hasRecommendations: true,
    segmentName: 'Lapsing big spenders',
    segmentKind: 'Lapsing big spenders',
    rfmSegment: 'At Risk',
    rfmScore: '245',
    interest: 'Home',
    retentionGroup: 'treatment',
    discount: 0.1,
    discountAmount: 18,
  },
  {
    firstName: undefined,
    Name: 'This customer',
    name: 'this customer',
    daysSinceLastOrder: undefined,
    usualGapDays: undefined,
    gapMultiple: undefined,
    openTickets: 0,
    orders: undefined,
    currency: 'EUR',
    clvQuintile: undefined,
    clvMonths: undefined,
    clvPredicted: 0,
    clvHistoric: 0,
    expectedOrders: 0,
    expectedOrderValue: undefined,
    pAlive: undefined,
    churnProbability: undefined,
    churnRisk: undefined,
    nextOrderDate: undefined,
    topDriver: undefined,
    drivers: [],
    recommendations: [],
    topProduct: undefined,
    hasRecommendations: false,
    segmentName: undefined,
    segmentKind: undefined,
    rfmSegment: undefined,
    rfmScore: undefined,
    interest: undefined,
    retentionGroup: 'none',
    discount: undefined,
    discountAmount: undefined,
  },
];

/**
 * Compiles `source` for HTML and text output and renders both once with the trial contexts (Handlebars
 * compiles lazily, on the first render: this makes the first rep's card as fast as the next). Problems are
 * pushed to `problems`, prefixed with `where(line)`; undefined is returned when there are any.
 */
export function compileTemplate(
  source: string,
  where: TemplatePlace,
  problems: string[],
): CompiledTemplate | undefined {
  let program: AstNode;
  try {
    program = env.parse(source) as unknown as AstNode;
  } catch (error) {
    const { line, message } = parseErrorOf(error as Error);
    problems.push(`${where(line)}: ${message}`);
    return undefined;
  }
  const found = expressionProblems(program);
  if (found.length) {
    problems.push(...found.map((p) => `${where(p.line)}: ${p.message}`));
    return undefined;
  }
  const compileOptions = { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true } as const;
  // Handlebars escapes values but writes the template's own text as it is: for HTML, escape that text too
  // (an "&" or "<" typed by the author is shown, not taken for markup). The tree is the parser's own, only
  // its text changed, so compiling it is as safe as compiling the source.
  const htmlProgram = env.parse(source);
  escapeContent(htmlProgram as unknown as AstNode);
  const html = env.compile<PlaybookContext>(htmlProgram, compileOptions);
  const text = env.compile<PlaybookContext>(source, { ...compileOptions, noEscape: true });
  try {
    for (const context of TRIAL_CONTEXTS) {
      html(context);
      text(context);
    }
  } catch (error) {
    const { line, message } = parseErrorOf(error as Error);
    problems.push(`${where(line)}: ${message}`);
    return undefined;
  }
  return { html, text };
}

function escapeContent(node: AstNode | undefined): void {
  if (!node) return;
  if (node.type === 'ContentStatement') {
    node.value = escapeHtml(node.value as string);
    return;
  }
  if (node.type === 'Program') for (const statement of node.body as AstNode[]) escapeContent(statement);
  if (node.type === 'BlockStatement') {
    escapeContent(node.program as AstNode);
    escapeContent(node.inverse as AstNode | undefined);
  }
}

/**
 * Where a template sits, as the prefix of a problem: given the line within the template (1-based) when the
 * problem has one, e.g. "rfm/champions.hbs line 4 (Goal)".
 */
export type TemplatePlace = (lineInTemplate?: number) => string;

/**
 * Handlebars' errors span lines ("Parse error on line 2:", the text, a caret, what was expected) or carry a
 * lineNumber: one line for a list of problems, and the line apart so the caller can make it the file's.
 */
function parseErrorOf(error: Error): { line?: number; message: string } {
  const numbered = (error as { lineNumber?: unknown }).lineNumber;
  let line = typeof numbered === 'number' ? numbered : undefined;
  const message = error.message
    .replace(/^Parse error on line (\d+):/, (_, n: string) => {
      line = Number(n);
      return 'Parse error:';
    })
    .replace(/ - \d+:\d+$/, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[-^]+$/.test(l))
    .join(' ');
  return { line, message };
}

/** Escapes text for HTML element content and attribute values (what Handlebars escapes, the same way). */
export function escapeHtml(text: string): string {
  return env.Utils.escapeExpression(text);
}
