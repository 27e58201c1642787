import type { OrderLine } from '../../domain/records';
import { stageOutcome, type DealOutcome, type StageIndex } from './deal-stages';
import type { HubSpotObject } from './hubspot-object';
import { finishMapping, rejected, type MapOutcome } from './map-outcome';
import { DEAL_PROPERTIES as P } from './read-properties';
import { firstText, readDateTime, readNumber, text, toIsoDateTime } from './property-values';

export type DealContext = {
  stages: StageIndex;
  /** Contact ids associated with the deal (v4 deal→contact, type 3, NOTES §4.2); the first is the buyer. */
  contactIds: readonly string[];
  /** Lines from the deal's line items (see mapLineItem); omitted when the deal has none. */
  lines?: readonly OrderLine[];
  /** The portal's company currency, used when a deal has no deal_currency_code (single-currency portals). */
  defaultCurrency?: string;
};

/** The stage outcome of a deal, for sales performance (open and lost deals are not orders, DESIGN). */
export function dealOutcome(deal: HubSpotObject, stages: StageIndex): DealOutcome | undefined {
  const stageId = text(deal.properties ?? {}, P.stage);
  if (stageId === undefined) return undefined;
  const stage = stages.find(text(deal.properties ?? {}, P.pipeline), stageId);
  return stage === undefined ? undefined : stageOutcome(stage);
}

/**
 * HubSpot deal → Order, only for won deals (DESIGN: "A deal/opportunity that is won is an order"); open and
 * lost deals are skipped with the reason. A won deal that cannot be an order (no amount, no close date, no
 * contact, unknown stage) is rejected with the reason.
 */
export function mapDeal(deal: HubSpotObject, context: DealContext): MapOutcome<'order'> {
  const props = deal.properties ?? {};
  const id = String(deal.id ?? '');
  if (id === '') return rejected('order', '(no id)', 'id: is required but was not provided');

  const stageId = text(props, P.stage);
  if (stageId === undefined) return rejected('order', id, `${P.stage}: is required but was not provided`);
  const pipelineId = text(props, P.pipeline);
  const stage = context.stages.find(pipelineId, stageId);
  if (stage === undefined)
    return rejected(
      'order',
      id,
      `${P.stage}: stage '${stageId}' is not in pipeline '${pipelineId ?? '(none)'}'; re-read the deal pipelines and sync again`,
    );
  const outcome = stageOutcome(stage);
  if (outcome !== 'won' && outcome !== 'refunded')
    return { kind: 'skipped', type: 'order', id, reason: `deal is ${outcome}` };

  const amount = readNumber(props, P.amount);
  if (!amount.ok) return rejected('order', id, amount.problem);
  if (amount.value === undefined)
    return rejected('order', id, `${P.amount}: is required but was not provided`);

  const closedAt = readDateTime(props, P.closeDate);
  if (!closedAt.ok) return rejected('order', id, closedAt.problem);
  const placedAt = closedAt.value ?? toIsoDateTime(deal.updatedAt);
  if (placedAt === undefined)
    return rejected('order', id, `${P.closeDate}: is required but was not provided`);

  const customerId = context.contactIds[0];
  if (customerId === undefined)
    return rejected(
      'order',
      id,
      'customerId: the won deal has no associated contact; associate one in HubSpot',
    );

  const currency = (text(props, P.currency) ?? context.defaultCurrency)?.toUpperCase();
  if (currency === undefined)
    return rejected(
      'order',
      id,
      `${P.currency}: is required (no deal currency and no portal default currency)`,
    );

  return finishMapping(
    'order',
    {
      id,
      customerId,
      placedAt,
      amount: amount.value,
      currency,
      // A refunded deal stays an order with its status: the engine nets it and counts it as a refund.
      status: outcome,
      channel: firstText(props, P.channel)?.value,
      ownerId: text(props, P.ownerId),
      lines: context.lines !== undefined && context.lines.length > 0 ? [...context.lines] : undefined,
    },
    [],
  );
}
