export { createCleaner, type Cleaner } from './cleaner';
export { cleanerConfigSchema, parseCleanerConfig, CleanConfigError } from './config';
export type { CleanerConfig, CleanerConfigInput } from './config';
export { formatQualityReport } from './format-quality-report';
export { parseTimestamp, utcDay, MS_PER_DAY } from './parse-timestamp';
export { EXCLUSION_REASONS } from './types';
export type {
  AnomalySummary,
  CleanLines,
  CleanOrders,
  CleanResult,
  ExclusionReason,
  ImplausibleSummary,
  InputEncoding,
  QualityExample,
  QualityReport,
} from './types';
