/**
 * The values playbook templates and rule texts can use: one flat object per customer, built from the Score,
 * the card facts and the pricing guidance. Templates are checked against CONTEXT_KEYS at load, so a misspelt
 * {{daysSinceLastOder}} stops start-up instead of printing nothing.
 */
import { behaviouralSegmentKind } from '../domain/segment-kinds';
import type { Score } from '../domain/score';
import type { CardFacts } from './card-facts';
import type { PricingGuidance } from './pricing';

export const CONTEXT_KEYS = [
  'firstName',
  'Name',
  'name',
  'daysSinceLastOrder',
  'usualGapDays',
  'gapMultiple',
  'openTickets',
  'orders',
  'currency',
  'clvQuintile',
  'clvMonths',
  'clvPredicted',
  'clvHistoric',
  'expectedOrders',
  'expectedOrderValue',
  'pAlive',
  'churnProbability',
  'churnRisk',
  'nextOrderDate',
  'topDriver',
  'drivers',
  'recommendations',
  'topProduct',
  'hasRecommendations',
  'segmentName',
  'segmentKind',
  'rfmSegment',
  'rfmScore',
  'interest',
  'retentionGroup',
  'discount',
  'discountAmount',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export type PlaybookContext = {
  /** As given; absent when the CRM has no first name. */
  firstName: string | undefined;
  /** For the start of a sentence: the first name, else "This customer". */
  Name: string;
  /** Within a sentence: the first name, else "this customer". */
  name: string;
  daysSinceLastOrder: number | undefined;
  usualGapDays: number | undefined;
  /** daysSinceLastOrder / usualGapDays, one decimal ("3× their usual gap"). */
  gapMultiple: number | undefined;
  openTickets: number;
  orders: number | undefined;
  currency: string;
  clvQuintile: number | undefined;
  clvMonths: number | undefined;
  clvPredicted: number;
  clvHistoric: number;
  expectedOrders: number;
  expectedOrderValue: number | undefined;
  pAlive: number | undefined;
  churnProbability: number | undefined;
  churnRisk: string | undefined;
  nextOrderDate: string | undefined;
  /** The first churn driver in words. */
  topDriver: string | undefined;
  drivers: string[];
  /** Recommended product names, best first, at most three. */
  recommendations: string[];
  topProduct: string | undefined;
  hasRecommendations: boolean;
  segmentName: string | undefined;
  /** The behavioural segment's kind (its name without qualifiers). */
  segmentKind: string | undefined;
  rfmSegment: string | undefined;
  rfmScore: string | undefined;
  interest: string | undefined;
  /** The Score's group, "none" when absent. */
  retentionGroup: string;
  /** The pricing guidance's discount (a fraction), only when one is worth offering. */
  discount: number | undefined;
  discountAmount: number | undefined;
};

// Every key of the context is a CONTEXT_KEYS entry and the other way round (checked by the compiler).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _keysMatch: Exact<keyof PlaybookContext, ContextKey> = true;
void _keysMatch;

export function playbookContext(score: Score, facts: CardFacts, pricing: PricingGuidance): PlaybookContext {
  const firstName = facts.firstName?.trim() || undefined;
  const days = facts.daysSinceLastOrder;
  const gap = facts.usualGapDays;
  const recommendations = (score.recommendations ?? []).slice(0, 3).map((r) => r.productName);
  const drivers = (score.churnDrivers ?? []).map((d) => d.text);
  return {
    firstName,
    Name: firstName ?? 'This customer',
    name: firstName ?? 'this customer',
    daysSinceLastOrder: days,
    usualGapDays: gap,
    gapMultiple:
      days !== undefined && gap !== undefined && gap > 0 ? Math.round((10 * days) / gap) / 10 : undefined,
    openTickets: facts.openTickets ?? 0,
    orders: facts.orders,
    currency: facts.currency,
    clvQuintile: facts.clvQuintile,
    clvMonths: facts.clvMonths,
    clvPredicted: score.clvPredicted,
    clvHistoric: score.clvHistoric,
    expectedOrders: score.expectedOrders,
    expectedOrderValue: score.expectedOrderValue ?? facts.averageOrderValue,
    pAlive: score.pAlive,
    churnProbability: score.churnProbability,
    churnRisk: score.churnRisk,
    nextOrderDate: score.nextOrderDate,
    topDriver: drivers[0],
    drivers,
    recommendations,
    topProduct: recommendations[0],
    hasRecommendations: recommendations.length > 0,
    segmentName: score.segmentName,
    segmentKind: score.segmentName === undefined ? undefined : behaviouralSegmentKind(score.segmentName),
    rfmSegment: score.rfmSegment,
    rfmScore: score.rfmScore,
    interest: score.interest,
    retentionGroup: score.retentionGroup ?? 'none',
    discount: pricing.worthOffering ? pricing.maxDiscount : undefined,
    discountAmount: pricing.worthOffering ? pricing.discountAmount : undefined,
  };
}
