/**
 * The CRM object shape the v3 API returns (NOTES §4.1): every property value is a string, absent properties
 * are omitted, and `createdAt`/`updatedAt` are ISO strings on the wire (Date objects once the SDK has
 * deserialised them, NOTES §5.3), so both are accepted.
 */
export type HubSpotObject = {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: string | Date;
  updatedAt?: string | Date;
  archived?: boolean;
};

/** Owner as `GET /crm/v3/owners/` returns it (NOTES §4.3). */
export type HubSpotOwner = {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  userId?: number | null;
  archived?: boolean;
};

/** Pipeline stage as `GET /crm/v3/pipelines/{objectType}` returns it (NOTES §4.4); metadata values are strings. */
export type HubSpotPipelineStage = {
  id: string;
  label: string;
  metadata?: Record<string, string | undefined>;
  archived?: boolean;
};

export type HubSpotPipeline = {
  id: string;
  label: string;
  stages: HubSpotPipelineStage[];
  archived?: boolean;
};
