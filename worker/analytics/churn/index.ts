export { trainAndScoreChurn } from './churn-stage';
export type { ChurnOptions, ChurnPerCustomer, ChurnResult, TrainAndScoreChurnInput } from './churn-stage';
export { trainChurnModel, scoreChurnModel, columnSigns } from './fit-churn-classifier';
export type { ChurnModel, ChurnScores, ChurnTrainingOptions } from './fit-churn-classifier';
export { evaluateChurnModel } from './out-of-time-check';
export type { BandOutcome, ChurnEvaluation, EvaluationOptions } from './out-of-time-check';
export { churnLabels, DEFAULT_CHURN_WINDOW_DAYS, DEFAULT_GAP_MULTIPLE } from './churn-labels';
export type { ChurnLabelOptions, ChurnLabels } from './churn-labels';
export { computeChurnFeatures } from './churn-features';
export type { ChurnFeatureOptions, ChurnFeatures, ChurnFeatureSpec } from './churn-features';
export { countWords } from './feature-catalogue';
export type {
  ChurnFeatureDefinition,
  DriverTextContext,
  FeatureContext,
  FeatureSource,
  FeatureValues,
  FeatureWords,
} from './feature-definition';
export { assertKnownAsOf, featureAvailability } from './feature-availability';
export type { FeatureAvailability } from './feature-availability';
export { groupOrdersByCustomer } from './customer-histories';
export type { CustomerHistories } from './customer-histories';
export {
  churnDrivers,
  churnDriverTable,
  describeDriver,
  describeDrivers,
  describeRowDrivers,
} from './churn-drivers';
export type { DriverTable, DriverTextBasis, PeerGrid } from './churn-drivers';
export {
  assignRiskBands,
  riskBand,
  riskRuleSentence,
  DEFAULT_RISK_BANDS,
  DEFAULT_RISK_CUT_POINTS,
} from './risk-bands';
export type { CustomerCycles, RiskBandOptions, RiskBands, RiskCutPoints } from './risk-bands';
export { channelWords } from './driver-words';
export { fitLogisticRegression, logisticLogits, sigmoid } from './logistic-regression';
export type { LogisticModel, LogisticOptions } from './logistic-regression';
export { calibrate, fitCalibration, fitIsotonic, fitPlatt, poolAdjacentViolators } from './calibration';
export type { Calibration, CalibrationMethod } from './calibration';
export {
  averagePrecision,
  brierScore,
  calibrationTable,
  liftAtTopDecile,
  permutationImportance,
  rocAuc,
} from './ranking-metrics';
export type { CalibrationBin, PermutationImportance } from './ranking-metrics';
export { transactionModelPAlive } from './transaction-model-p-alive';
export { restoreChurnModel, storeChurnModel } from './stored-churn-model';
export type { StoredChurnModel } from './stored-churn-model';
export { ChurnError } from './types';
export type {
  ChurnCancellations,
  ChurnDriver,
  ChurnEngagement,
  ChurnErrorCode,
  ChurnInput,
  ChurnOrders,
  ChurnRisk,
  ChurnServiceCases,
} from './types';
export { churnResultFromPortable, portableChurnResult } from './portable-churn-result';
export type { PortableChurnResult } from './portable-churn-result';
