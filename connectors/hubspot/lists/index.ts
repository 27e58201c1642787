export {
  filterBranchFor,
  filterBranchKey,
  LIST_NAME_PREFIX,
  segmentListSpecs,
  type ListFilterBranch,
  type SegmentListKind,
  type SegmentListSpec,
} from './segment-list-specs';
export {
  CONTACT_OBJECT_TYPE_ID,
  filterProblem,
  syncSegmentLists,
  type SegmentListOutcome,
  type SyncSegmentListsResult,
} from './sync-segment-lists';
