import type { HubSpotPipeline, HubSpotPipelineStage } from './hubspot-object';

export type DealOutcome = 'won' | 'lost' | 'open' | 'refunded';

/**
 * HubSpot has no refund state for deals; retail portals model returns as a closed, 0% stage named for them
 * ("Refunded", "Returned", "Chargeback"). Such a deal was a sale that was reversed, not a lost deal.
 */
const REFUND_STAGE = /refund|return|chargeback/i;

/**
 * Won / lost / open from a stage's metadata, never from its id: custom pipelines use numeric stage ids, and
 * NOTES §4.4 says probability "1.0" = Closed Won, "0.0" = Closed Lost, with isClosed "true" on both.
 * probability 1 alone counts as won (NOTES: "Identify won deals by stage metadata.probability == "1.0" (or
 * isClosed + probability)"); probability "0.0" or any other closed stage is lost, unless it is a refund stage.
 */
export function stageOutcome(stage: HubSpotPipelineStage): DealOutcome {
  const metadata = stage.metadata ?? {};
  const raw = metadata.probability?.trim();
  const probability = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  const isClosed = metadata.isClosed?.trim().toLowerCase() === 'true';
  if (probability === 1) return 'won';
  if (isClosed && probability === 0 && (REFUND_STAGE.test(stage.label ?? '') || REFUND_STAGE.test(stage.id)))
    return 'refunded';
  if (isClosed || probability === 0) return 'lost';
  return 'open';
}

export type StageIndex = {
  /** Stage of a deal's `pipeline` and `dealstage` values; undefined when unknown. */
  find(pipelineId: string | undefined, stageId: string): HubSpotPipelineStage | undefined;
};

/**
 * Index of the pipelines' stages. Stage ids are unique within a pipeline only, so the key is
 * pipeline + stage; a deal without a (known) pipeline value falls back to the stage id when it is unambiguous.
 */
export function indexStages(pipelines: readonly HubSpotPipeline[]): StageIndex {
  const byPipeline = new Map<string, HubSpotPipelineStage>();
  const byStage = new Map<string, HubSpotPipelineStage | null>();
  const knownPipelines = new Set(pipelines.map((p) => p.id));
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) {
      byPipeline.set(`${pipeline.id}\u0000${stage.id}`, stage);
      byStage.set(stage.id, byStage.has(stage.id) ? null : stage);
    }
  }
  return {
    find(pipelineId, stageId) {
      // A known pipeline answers alone: a stage id of another pipeline must not make a deal won.
      if (pipelineId !== undefined && knownPipelines.has(pipelineId))
        return byPipeline.get(`${pipelineId}\u0000${stageId}`);
      return byStage.get(stageId) ?? undefined;
    },
  };
}
