/**
 * The next-best-action rule file (rules/next-best-actions.json), edited by sales ops: its zod schema, and the
 * loader that turns every problem into a sentence naming the rule (index and id) and the field.
 *
 * Conditions: every condition a rule names must hold (AND); a condition on a value the customer does not have
 * (no P(alive), no CLV quintile, no segment …) does not hold. Ranges are inclusive: {"min": 4} is ≥ 4,
 * {"max": 0.3} is ≤ 0.3. Lists match any of their entries.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RFM_SEGMENTS } from '../domain/rfm-segments';
import { CHURN_RISKS, RETENTION_GROUPS } from '../domain/score';
import { BEHAVIOURAL_SEGMENT_KINDS } from '../domain/segment-kinds';
import { compileTemplate, type CompiledTemplate } from './templates';

const range = (bounds: { min?: number; max?: number; int?: boolean } = {}) => {
  let n = z.number().finite();
  if (bounds.int) n = n.int();
  if (bounds.min !== undefined) n = n.min(bounds.min);
  if (bounds.max !== undefined) n = n.max(bounds.max);
  return z
    .object({ min: n.optional(), max: n.optional() })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, 'give "min", "max" or both')
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, '"min" is above "max"');
};
const probabilityRange = range({ min: 0, max: 1 });
const countRange = range({ min: 0 });
const oneOrMore = <T extends [string, ...string[]]>(values: T) => z.array(z.enum(values)).min(1);

export const conditionsSchema = z
  .object({
    /** Churn band: ["high"], ["medium", "high"]. */
    churnRisk: oneOrMore([...CHURN_RISKS]).optional(),
    churnProbability: probabilityRange.optional(),
    pAlive: probabilityRange.optional(),
    /** 5 = top fifth of customers by predicted CLV. */
    clvQuintile: range({ min: 1, max: 5, int: true }).optional(),
    /** Predicted CLV in the run's currency. */
    clvPredicted: range().optional(),
    daysSinceLastOrder: countRange.optional(),
    /** Days since the last order ÷ the customer's usual gap. */
    gapMultiple: countRange.optional(),
    openTickets: countRange.optional(),
    orders: countRange.optional(),
    /** Behavioural segment kinds; a qualified name ("Occasional (more recent)") matches its kind. */
    segment: oneOrMore([...BEHAVIOURAL_SEGMENT_KINDS]).optional(),
    rfmSegment: oneOrMore([...RFM_SEGMENTS]).optional(),
    hasRecommendations: z.boolean().optional(),
    /** A Score without a group counts as "none". */
    retentionGroup: oneOrMore([...RETENTION_GROUPS]).optional(),
  })
  .strict();

export type RuleConditions = z.infer<typeof conditionsSchema>;
export const CONDITION_NAMES = Object.keys(conditionsSchema.shape) as (keyof RuleConditions)[];

export const ACTION_KINDS = ['call', 'email', 'offer', 'task', 'escalate'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call') }).strict(),
  /** `template`: the name of the CRM's email template to send. */
  z.object({ kind: z.literal('email'), template: z.string().min(1) }).strict(),
  /** Shown only when pricing guidance finds a discount worth offering; {{discount}} is that discount. */
  z.object({ kind: z.literal('offer') }).strict(),
  z.object({ kind: z.literal('task'), dueInDays: z.number().int().min(0).max(90).default(3) }).strict(),
  z.object({ kind: z.literal('escalate'), to: z.enum(['owner', 'manager', 'support']) }).strict(),
]);
export type ActionSpec = z.infer<typeof actionSchema>;

export const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case letters, digits and hyphens, e.g. "win-back-call"'),
    /** For the people editing the file; not shown to reps. */
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    when: conditionsSchema,
    action: actionSchema,
    /** A template, plain text (no HTML); the top action's title is written to clv_next_best_action. */
    title: z.string().min(1).max(200),
    /** A template, plain text: why the rep sees this action. */
    reason: z.string().min(1).max(1000),
    /** 0–100, higher first; equal priorities keep the file's order. */
    priority: z.number().int().min(0).max(100),
  })
  .strict();
export type RuleSpec = z.infer<typeof ruleSchema>;

export const ruleFileSchema = z
  .object({
    $comment: z.string().optional(),
    /** Actions shown per customer (default 3). */
    maxActions: z.number().int().min(1).max(10).optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();

export type NextBestActionRule = RuleSpec & {
  /** Position in the file: the tie-break between equal priorities. */
  index: number;
  titleTemplate: CompiledTemplate;
  reasonTemplate: CompiledTemplate;
};

export type LoadedRules = { rules: NextBestActionRule[]; maxActions?: number };

/** Reads, validates and compiles the rule file; every problem goes to `problems` (nothing is returned then). */
export function loadRuleFile(path: string, label: string, problems: string[]): LoadedRules | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`${label}: cannot be read (${(error as Error).message})`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`${label}: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  return parseRules(json, label, problems);
}

/** Validates and compiles rules already read (tests, and callers that keep the rules elsewhere). */
export function parseRules(json: unknown, label: string, problems: string[]): LoadedRules | undefined {
  const before = problems.length;
  const parsed = ruleFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${label}: ${describeIssue(issue, json)}`);
    return undefined;
  }
  const seen = new Map<string, number>();
  const rules: NextBestActionRule[] = [];
  parsed.data.rules.forEach((rule, index) => {
    const where = ruleName(index, rule.id);
    const earlier = seen.get(rule.id);
    if (earlier !== undefined)
      problems.push(`${label}: ${where}, field id: the same id as rules[${earlier}]; ids must be unique`);
    seen.set(rule.id, index);
    const titleTemplate = compileTemplate(rule.title, () => `${label}: ${where}, field title`, problems);
    const reasonTemplate = compileTemplate(rule.reason, () => `${label}: ${where}, field reason`, problems);
    if (titleTemplate && reasonTemplate) rules.push({ ...rule, index, titleTemplate, reasonTemplate });
  });
  if (problems.length > before) return undefined;
  return { rules, maxActions: parsed.data.maxActions };
}

function ruleName(index: number, id: unknown): string {
  return typeof id === 'string' && id ? `rules[${index}] ("${id}")` : `rules[${index}]`;
}

/** "rules[2] ("win-back"), field when.churnRisk[0]: Invalid enum value …" */
function describeIssue(issue: z.ZodIssue, json: unknown): string {
  const path = issue.path;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path);
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (allowed) message += `; the fields here are ${allowed.join(', ')}`;
  }
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const rule = (json as { rules?: unknown[] }).rules?.[path[1]] as { id?: unknown } | undefined;
    const field = formatPath(path.slice(2));
    return `${ruleName(path[1], rule?.id)}${field ? `, field ${field}` : ''}: ${message}`;
  }
  const field = formatPath(path);
  return field ? `field ${field}: ${message}` : message;
}

function allowedKeys(path: (string | number)[]): string[] | undefined {
  if (path.length === 0) return Object.keys(ruleFileSchema.shape);
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
  if (path.length === 2) return Object.keys(ruleSchema.shape);
  if (path.length === 3 && path[2] === 'when') return CONDITION_NAMES;
  return undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
