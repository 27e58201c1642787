import { stageOutcome, type StageIndex } from './deal-stages';
import type { HubSpotObject } from './hubspot-object';
import { finishMapping, rejected, type MapOutcome } from './map-outcome';
import { firstText, readDateTime, readNumber, text, toIsoDateTime } from './property-values';
import { DEAL_PROPERTIES as P } from './read-properties';

export type DealRecordContext = {
  stages: StageIndex;
  /** Contact ids associated with the deal (v4 deal→contact); the first is the buyer, as for orders. */
  contactIds: readonly string[];
  /** The portal's company currency, used when a deal has no deal_currency_code. */
  defaultCurrency?: string;
};

/**
 * HubSpot deal → Deal, for every deal of every pipeline (DESIGN: every deal, for sales performance), so the
 * worker sees the same canonical Deal as from a Salesforce Opportunity (connectors/salesforce/map-deal.ts):
 * status from the stage's metadata (deal-stages.ts) — a refund stage is a closed deal not won, 'lost' — and
 * the stage's label as `stage`. A deal in a stage no pipeline has is rejected, as for orders. The amount is
 * optional in HubSpot: a missing one counts as 0 with a warning, an unreadable one rejects the deal; a closed
 * deal's closedAt is its closedate (else its last modification, as for orders); an open deal's close date is
 * only expected, so it has none. Owner, creation time and a currency are required.
 */
export function mapDealRecord(deal: HubSpotObject, context: DealRecordContext): MapOutcome<'deal'> {
  const props = deal.properties ?? {};
  const id = String(deal.id ?? '');
  if (id === '') return rejected('deal', '(no id)', 'id: is required but was not provided');
  const stageId = text(props, P.stage);
  if (stageId === undefined) return rejected('deal', id, `${P.stage}: is required but was not provided`);
  const pipelineId = text(props, P.pipeline);
  const stage = context.stages.find(pipelineId, stageId);
  if (stage === undefined)
    return rejected(
      'deal',
      id,
      `${P.stage}: stage '${stageId}' is not in pipeline '${pipelineId ?? '(none)'}'; re-read the deal pipelines and sync again`,
    );
  const outcome = stageOutcome(stage);
  const warnings: string[] = [];
  const amount = readNumber(props, P.amount);
  if (!amount.ok) return rejected('deal', id, amount.problem);
  if (amount.value === undefined) warnings.push(`${P.amount}: not set; the deal counts as 0`);
  let closedAt: string | undefined;
  if (outcome !== 'open') {
    const closed = readDateTime(props, P.closeDate);
    if (!closed.ok) return rejected('deal', id, closed.problem);
    closedAt = closed.value ?? toIsoDateTime(deal.updatedAt);
  }
  const ownerId = text(props, P.ownerId);
  if (ownerId === undefined)
    return rejected('deal', id, `${P.ownerId}: the deal has no owner; assign one in HubSpot`);
  const currency = (text(props, P.currency) ?? context.defaultCurrency)?.toUpperCase();
  if (currency === undefined)
    return rejected(
      'deal',
      id,
      `${P.currency}: is required (no deal currency and no portal default currency)`,
    );
  return finishMapping(
    'deal',
    {
      id,
      customerId: context.contactIds[0],
      ownerId,
      amount: amount.value ?? 0,
      currency,
      createdAt: toIsoDateTime(deal.createdAt) ?? text(props, 'createdate'),
      closedAt,
      stage: stage.label || stage.id,
      status: outcome === 'won' || outcome === 'open' ? outcome : 'lost',
      source: firstText(props, P.channel)?.value,
    },
    warnings,
  );
}
