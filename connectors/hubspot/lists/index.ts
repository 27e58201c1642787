export {
  filterBranchFor,
  filterBranchKey,
  LIST_NAME_PREFIX,
  segmentListSpecs,
  type SegmentListKind,
  type SegmentListSpec,
} from './segment-list-specs';
export {
  CONTACT_OBJECT_TYPE_ID,
  syncSegmentLists,
  type SegmentListOutcome,
  type SyncSegmentListsResult,
} from './sync-segment-lists';
