/**
 * The pipeline's entry point: behavioural segments for every customer of an RFM summary (taken without
 * calibrationEnd), in the summary's row order, ready for the segment_id / segment_name score columns.
 */
import type { RfmSummary } from '../../rfm/types';
import { fitClusterModel, type ClusterFit, type ClusterModelOptions } from './cluster-model';
import { behaviourFromSummary } from './features';
import { migrationMatrixOfRows, type MigrationMatrix } from './migration';
import type { ClusterModel, CustomerBehaviour } from './types';

export type CustomerSegments = {
  model: ClusterModel;
  /** Per summary row. */
  segmentId: string[];
  segmentName: string[];
  /** Coarse group id per summary row (model.coarse). */
  groupId: string[];
  /** Against the previous run's assignments, when given. */
  migration: MigrationMatrix | null;
  /**
   * What the run report should say about the segments, in words (model.choice.warnings): too few customers for
   * 4–8 segments, fewer natural groups than segments, small segments merged or left by a configured k.
   */
  warnings: string[];
};

export type ClusterCustomersInput = {
  summary: RfmSummary;
  /** Category shares / engagement aligned with the summary's rows. */
  extra?: Pick<CustomerBehaviour, 'categoryShares' | 'engagement'>;
  options?: ClusterModelOptions;
  previous?: { model: ClusterModel; segmentByCustomer?: ReadonlyMap<string, string> };
};

export function clusterCustomers(input: ClusterCustomersInput): CustomerSegments {
  const behaviour = { ...behaviourFromSummary(input.summary), ...input.extra };
  return segmentsOfFit(
    fitClusterModel(behaviour, input.options, input.previous?.model),
    input.summary.ids,
    input.previous?.segmentByCustomer,
  );
}

/**
 * The segment columns of a cluster fit for customers `ids` (the fit's rows), with the migration from the
 * previous run's assignments when given: the part of clusterCustomers that a run whose fit was made elsewhere
 * (a pipeline thread) does itself.
 */
export function segmentsOfFit(
  fit: Pick<ClusterFit, 'model' | 'labels' | 'warnings'>,
  ids: readonly string[],
  before?: ReadonlyMap<string, string>,
): CustomerSegments {
  const { model, labels, warnings } = fit;
  const groupOf = new Map<string, string>();
  for (const g of model.coarse) for (const id of g.members) groupOf.set(id, g.id);
  const n = labels.length;
  const segmentId = new Array<string>(n);
  const segmentName = new Array<string>(n);
  const groupId = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    segmentId[i] = model.ids[labels[i]];
    segmentName[i] = model.names[labels[i]];
    groupId[i] = groupOf.get(segmentId[i])!;
  }
  const migration = before ? migrationMatrixOfRows(before, ids, segmentId) : null;
  return { model, segmentId, segmentName, groupId, migration, warnings };
}
