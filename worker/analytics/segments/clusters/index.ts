export { ClusterError, type ClusterErrorCode } from './errors';
export {
  applyFeatureTransform,
  behaviourFromSummary,
  buildFeatures,
  fitFeatureTransform,
  toOriginalUnits,
  type FeatureOptions,
} from './features';
export {
  kmeansTyped,
  kmeansPlusPlus,
  assignNearest,
  type KmeansOptions,
  type MatrixInput,
} from './kmeans-typed';
export { kmeansMl } from './kmeans-ml';
export { runKmeans, chooseEngine, ML_KMEANS_MAX_ROWS, type KmeansRunOptions } from './kmeans';
export { pairwiseDistances, silhouetteFromDistances, silhouetteScore } from './silhouette';
export {
  chooseK,
  kRange,
  sampleRows,
  DEFAULT_K_RANGE,
  MIN_SEGMENT_CUSTOMERS,
  type ChooseKOptions,
  type ChooseKResult,
} from './choose-k';
export {
  enforceMinShare,
  minClusterSize,
  DEFAULT_MIN_SHARE,
  type MinShareOptions,
  type MinShareResult,
} from './min-share';
export { hungarian, type Assignment } from './hungarian';
export {
  centroidTraits,
  clusterBaseName,
  columnPhrases,
  distinctNames,
  levelOf,
  populationTerciles,
  profileOf,
  uniqueNames,
  type NameTrait,
} from './naming';
export { agglomerate, coarseGroups, coarseGroupName, familyCount, type CoarseOptions } from './coarse-groups';
export { migrationMatrix, NONE, type MigrationMatrix } from './migration';
export {
  assignClusters,
  fitClusterModel,
  CLUSTER_MODEL_VERSION,
  type ClusterFit,
  type ClusterModelOptions,
} from './cluster-model';
export type * from './types';
export {
  clusterCustomers,
  segmentsOfFit,
  type ClusterCustomersInput,
  type CustomerSegments,
} from './cluster-customers';
