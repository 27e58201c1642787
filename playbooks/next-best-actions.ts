/**
 * Next best actions: the rules whose conditions hold, highest priority first, equal priorities in the file's
 * order, at most `limit`. Pure and deterministic: the same Score, facts and rules give the same actions.
 */
import type { NextBestAction } from '../domain/score';
import type { PlaybookContext } from './context';
import type { PricingGuidance } from './pricing';
import type { ActionKind, ActionSpec, NextBestActionRule, RuleConditions } from './rules';

/** A NextBestAction (domain/score.ts) with what the card needs to act on it. */
export type SuggestedAction = NextBestAction & {
  kind: ActionKind;
  action: ActionSpec;
  /** For an offer: the discount (fraction of the next order) and what it costs on the expected order. */
  offer?: { discount: number; amount: number; currency: string };
};

/** CRM text properties (clv_next_best_action) hold 255 characters. */
const TITLE_LIMIT = 255;

type Range = { min?: number; max?: number };

function inRange(value: number | undefined, r: Range | undefined): boolean {
  if (r === undefined) return true;
  if (value === undefined || !Number.isFinite(value)) return false;
  return (r.min === undefined || value >= r.min) && (r.max === undefined || value <= r.max);
}

function oneOf<T>(value: T | undefined, list: readonly T[] | undefined): boolean {
  return list === undefined || (value !== undefined && list.includes(value));
}

/** True when every condition the rule names holds for the customer (the rules.ts comment). */
export function conditionsHold(when: RuleConditions, c: PlaybookContext): boolean {
  return (
    oneOf(c.churnRisk, when.churnRisk as readonly string[] | undefined) &&
    inRange(c.churnProbability, when.churnProbability) &&
    inRange(c.pAlive, when.pAlive) &&
    inRange(c.clvQuintile, when.clvQuintile) &&
    inRange(c.clvPredicted, when.clvPredicted) &&
    inRange(c.daysSinceLastOrder, when.daysSinceLastOrder) &&
    inRange(c.gapMultiple, when.gapMultiple) &&
    inRange(c.openTickets, when.openTickets) &&
    inRange(c.orders, when.orders) &&
    oneOf(c.segmentKind, when.segment as readonly string[] | undefined) &&
    oneOf(c.rfmSegment, when.rfmSegment as readonly string[] | undefined) &&
    (when.hasRecommendations === undefined || when.hasRecommendations === c.hasRecommendations) &&
    oneOf(c.retentionGroup, when.retentionGroup as readonly string[] | undefined)
  );
}

/** A retention action: a rule meant for a program's treatment arm (its retentionGroup condition names it). */
function isRetentionRule(rule: NextBestActionRule): boolean {
  return (rule.when.retentionGroup as readonly string[] | undefined)?.includes('treatment') ?? false;
}

/**
 * `programOffer` is CardFacts.programOffer. For a customer in the treatment arm of a live 'pricing-guidance'
 * program with a discount worth offering, the offer is part of the program's treatment: the highest matched
 * retention action carries it, and no separate offer action repeats it. (The control arm and programs
 * offering none get no discount at all: pricing.worthOffering is false for them, see pricing.ts.)
 */
export function evaluateRules(
  rules: readonly NextBestActionRule[],
  context: PlaybookContext,
  pricing: PricingGuidance,
  limit: number,
  programOffer?: 'pricing-guidance' | 'none',
): SuggestedAction[] {
  let matched = rules.filter(
    (rule) =>
      rule.enabled &&
      (rule.action.kind !== 'offer' || pricing.worthOffering) &&
      conditionsHold(rule.when, context),
  );
  // Array.prototype.sort is stable, but say the tie-break explicitly: the file's order.
  matched.sort((a, b) => b.priority - a.priority || a.index - b.index);
  const carrier =
    programOffer === 'pricing-guidance' && pricing.worthOffering ? matched.find(isRetentionRule) : undefined;
  if (carrier !== undefined)
    matched = matched.filter((rule) => rule === carrier || rule.action.kind !== 'offer');
  return matched.slice(0, Math.max(0, limit)).map((rule) => {
    const action: SuggestedAction = {
      id: rule.id,
      title: clip(rule.titleTemplate.text(context).trim(), TITLE_LIMIT),
      reason: rule.reasonTemplate.text(context).trim(),
      priority: rule.priority,
      kind: rule.action.kind,
      action: rule.action,
    };
    if (rule.action.kind === 'offer' || rule === carrier)
      action.offer = {
        discount: pricing.maxDiscount,
        amount: pricing.discountAmount,
        currency: context.currency,
      };
    return action;
  });
}

function clip(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}
