export { trainAndScoreChurn } from './train-and-score-churn';
export type {
  ChurnOptions,
  ChurnPerCustomer,
  ChurnResult,
  TrainAndScoreChurnInput,
} from './train-and-score-churn';
export { trainChurnModel, scoreChurnModel } from './churn-model';
export type { ChurnModel, ChurnScores, ChurnTrainingOptions } from './churn-model';
export { evaluateChurnModel } from './evaluate-churn-model';
export type { ChurnEvaluation, EvaluationOptions } from './evaluate-churn-model';
export { churnLabels, DEFAULT_CHURN_WINDOW_DAYS, DEFAULT_GAP_MULTIPLE } from './churn-labels';
export type { ChurnLabelOptions, ChurnLabels } from './churn-labels';
export { computeChurnFeatures } from './churn-features';
export type { ChurnFeatureOptions, ChurnFeatures, ChurnFeatureSpec } from './churn-features';
export { groupOrdersByCustomer } from './customer-histories';
export type { CustomerHistories } from './customer-histories';
export {
  churnDrivers,
  churnDriverTable,
  describeDriver,
  describeRowDrivers,
  riskBand,
  DEFAULT_RISK_CUT_POINTS,
} from './churn-drivers';
export type { DriverTable, RiskCutPoints } from './churn-drivers';
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
} from './churn-evaluation';
export type { CalibrationBin, PermutationImportance } from './churn-evaluation';
export { transactionModelPAlive } from './transaction-model-p-alive';
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
