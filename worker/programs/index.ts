export { assignRetentionGroups, enrolmentOpen } from './assign-retention-groups';
export type { RetentionGroupsResult } from './assign-retention-groups';
export { programEmailOffers, segmentEmailsWithOffers } from './email-offers';
export { measurePrograms } from './measure-programs';
export type { ProgramResult } from './measure-programs';
export { baselineRetention, planProgram } from './plan-program';
export type { ProgramPlan } from './plan-program';
export {
  eligibilityRuleSchema,
  InvalidProgramError,
  parseRetentionProgram,
  retentionProgramSchema,
} from './program-config';
export type { ProgramOffer, RetentionProgram } from './program-config';
export {
  addEnrolments,
  programArmMembers,
  ProgramNotFoundError,
  ProgramStoreCorruptError,
  readEnrolments,
  readLiveArms,
  readProgramRevision,
  readPrograms,
  writePrograms,
} from './program-store';
export type { EnrolmentStore, ProgramArms } from './program-store';
export { renderProgramResults } from './render-program-results';
