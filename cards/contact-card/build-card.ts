/**
 * A contact's card (CardResponse) from the tenant index: the Score, the facts the store holds about the
 * customer, and the playbooks. Pure: the index and "today" come in; the route caches the result.
 */
import type { Score } from '../../domain/score';
import type { CardFacts, Playbooks } from '../../playbooks';
import type { CardResponse } from './card-response';
import { segmentDescription } from './segment-descriptions';
import { clvQuintile, dataDay, type CustomerFacts, type TenantIndex } from './tenant-index';

/** The CLV horizon and currency when the tenant has no run yet (a synced tenant never scored). */
const DEFAULT_MONTHS = 12;
const DEFAULT_CURRENCY = 'USD';

export function cardFacts(
  index: TenantIndex,
  facts: CustomerFacts | undefined,
  score: Score | undefined,
  day: number,
): CardFacts {
  const out: CardFacts = {
    currency: index.run?.currency ?? DEFAULT_CURRENCY,
    clvMonths: index.run?.clvMonths ?? DEFAULT_MONTHS,
  };
  if (facts?.firstName?.trim()) out.firstName = facts.firstName.trim();
  if (facts) {
    out.orders = facts.orders;
    out.openTickets = facts.openTickets;
    if (facts.lastOrderDay !== undefined) out.daysSinceLastOrder = Math.max(0, day - facts.lastOrderDay);
    if (facts.usualGapDays !== undefined) out.usualGapDays = facts.usualGapDays;
    if (facts.averageOrderValue !== undefined) out.averageOrderValue = facts.averageOrderValue;
  }
  if (score && index.clvCuts.length > 0) out.clvQuintile = clvQuintile(index.clvCuts, score.clvPredicted);
  const offer = score && index.offers.get(score.customerId);
  if (offer !== undefined) out.programOffer = offer;
  return out;
}

/**
 * RFM by fixed rules, for a customer the engine has not scored (the quintile scores need the run's
 * population): recency 5 ≤ 30 days, 4 ≤ 90, 3 ≤ 180, 2 ≤ 365, else 1; frequency 1, 2, 3–4, 5–9, 10+ orders;
 * money 5 … 1 by the run's CLV quintile cut points applied to spend to date (3 without a run).
 */
export function ruleRfm(
  facts: CustomerFacts,
  day: number,
  cuts: readonly number[],
): { segment: string; score: string } | null {
  if (facts.orders === 0 || facts.lastOrderDay === undefined) return null;
  const days = day - facts.lastOrderDay;
  const r = days <= 30 ? 5 : days <= 90 ? 4 : days <= 180 ? 3 : days <= 365 ? 2 : 1;
  const n = facts.orders;
  const f = n >= 10 ? 5 : n >= 5 ? 4 : n >= 3 ? 3 : n >= 2 ? 2 : 1;
  const m = cuts.length > 0 ? clvQuintile(cuts, facts.historic) : 3;
  const segment =
    r >= 4
      ? f >= 2
        ? 'Potential Loyalists'
        : 'New Customers'
      : r === 3
        ? 'About to Sleep'
        : r === 2
          ? 'Hibernating'
          : 'Lost';
  return { segment, score: `${r}${f}${m}` };
}

function modelOf(index: TenantIndex, score: Score | undefined): CardResponse['model'] {
  const metrics = index.current?.metrics;
  return {
    version: score?.modelVersion ?? index.run?.modelVersion ?? index.model?.version ?? 'none',
    scoredAt: score?.scoredAt ?? index.run?.scoredAt ?? new Date(index.loadedAt).toISOString(),
    holdoutRmse: metrics?.holdoutRmse ?? null,
    churnAuc: metrics?.churnAuc ?? null,
  };
}

function actionsOf(playbooks: Playbooks, score: Score, facts: CardFacts): CardResponse['actions'] {
  return playbooks.nextBestActions(score, facts, { limit: 3 }).map((a) => ({
    id: a.id,
    title: a.title,
    reason: a.reason,
    priority: a.priority,
    kind: a.kind,
    ...(a.offer ? { offer: { ...a.offer } } : {}),
  }));
}

function playbookOf(playbooks: Playbooks, score: Score, facts: CardFacts): CardResponse['playbook'] {
  const rendered = playbooks.renderPlaybook(score, facts);
  return {
    title: rendered.title,
    sections: rendered.sections.map((s) => ({ key: s.key, heading: s.heading, text: s.text })),
    html: rendered.html,
  };
}

/**
 * The card of a contact the tenant knows (scored, or synced without a Score); undefined for a contact the
 * tenant does not have. `synced`: the route found the customer record itself (synced after the index).
 */
export function buildCard(
  index: TenantIndex,
  contactId: string,
  playbooks: Playbooks,
  now: number,
  synced?: { firstName?: string },
): CardResponse | undefined {
  const day = dataDay(index, now);
  const score = index.scores.get(contactId);
  const storedFacts =
    index.facts.get(contactId) ??
    (synced ? { firstName: synced.firstName, orders: 0, openTickets: 0, historic: 0 } : undefined);
  if (score === undefined && storedFacts === undefined) return undefined;
  const facts = cardFacts(index, storedFacts, score, day);
  const months = index.run?.clvMonths ?? DEFAULT_MONTHS;
  const currency = index.run?.currency ?? DEFAULT_CURRENCY;

  if (score === undefined) {
    const f = storedFacts!;
    // A stand-in Score with only what the records say: the playbooks pick the general (fallback) playbook.
    const standIn: Score = {
      customerId: contactId,
      clvHistoric: f.historic,
      clvPredicted: 0,
      expectedOrders: 0,
      modelVersion: index.run?.modelVersion ?? 'none',
      scoredAt: index.run?.scoredAt ?? new Date(now).toISOString(),
    };
    const reason =
      f.orders === 0
        ? 'No won orders yet: lifetime value, churn risk and segments need at least one purchase. ' +
          'Shown: the general playbook.'
        : index.run === undefined
          ? 'This portal has not been scored yet. Shown: RFM by simple rules and the general playbook.'
          : 'Not scored in the latest run (synced since, or its orders net to nothing after refunds). ' +
            'Shown: RFM by simple rules and the general playbook until the next run.';
    return {
      tenant: index.tenant,
      contactId,
      firstName: facts.firstName ?? null,
      status: 'too-little-history',
      reason,
      segment: null,
      rfm: ruleRfm(f, day, index.clvCuts),
      clv: { predicted: 0, historic: f.historic, currency, months },
      pAlive: null,
      churn: null,
      nextOrderDate: null,
      recommendations: [],
      actions: actionsOf(playbooks, standIn, facts),
      playbook: playbookOf(playbooks, standIn, facts),
      model: modelOf(index, undefined),
    };
  }

  const segmentName = score.segmentName ?? score.rfmSegment;
  return {
    tenant: index.tenant,
    contactId,
    firstName: facts.firstName ?? null,
    status: 'scored',
    reason: null,
    segment:
      segmentName === undefined
        ? null
        : {
            id: score.segmentId ?? score.rfmSegment ?? segmentName,
            name: segmentName,
            description: segmentDescription(score.segmentName, score.rfmSegment),
          },
    rfm:
      score.rfmSegment !== undefined && score.rfmScore !== undefined
        ? { segment: score.rfmSegment, score: score.rfmScore }
        : null,
    clv: { predicted: score.clvPredicted, historic: score.clvHistoric, currency, months },
    pAlive: score.pAlive ?? null,
    churn:
      score.churnProbability !== undefined && score.churnRisk !== undefined
        ? {
            probability: score.churnProbability,
            band: score.churnRisk,
            drivers: (score.churnDrivers ?? [])
              .slice(0, 3)
              .map((d) => ({ feature: d.feature, text: d.text, contribution: d.contribution })),
          }
        : null,
    nextOrderDate: score.nextOrderDate ?? null,
    recommendations: (score.recommendations ?? [])
      .slice(0, 3)
      .map((r) => ({ productId: r.productId, productName: r.productName, reason: r.reason })),
    actions: actionsOf(playbooks, score, facts),
    playbook: playbookOf(playbooks, score, facts),
    model: modelOf(index, score),
  };
}
