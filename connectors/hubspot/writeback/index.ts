export {
  ensureClvProperties,
  wantedProperties,
  type EnsureClvPropertiesInput,
  type EnsureClvPropertiesResult,
} from './ensure-clv-properties';
export {
  writeChangedValues,
  type WriteChangedValuesInput,
  type WriteChangedValuesResult,
  type WriteFailure,
  type WriteProgress,
} from './write-changed-values';
export { createCaller, type CallerStats, type HubSpotCaller } from './hubspot-caller';
export { readWrittenValues, type ReadWrittenValuesResult } from './read-written-values';
