/**
 * Shapes the sandbox stores and serves. Wire shapes follow NOTES §4 (objects §4.1, associations §4.2, owners §4.3,
 * pipelines §4.4, properties §4.5); property values are always strings (§4.1).
 */

export const OBJECT_TYPES = ['contacts', 'deals', 'line_items', 'products', 'tickets', 'tasks'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export type SandboxObject = {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  /** Set when archived (SimplePublicObject.archivedAt). */
  archivedAt?: string;
};

export type PropertyOption = {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
};

export type PropertyDefinition = {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
};

export type PropertyGroup = { name: string; label: string; displayOrder: number; archived: boolean };

export type Owner = {
  id: string;
  email: string;
  type: 'PERSON';
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
};

export type PipelineStage = {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  writePermissions: string;
};

export type Pipeline = {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  stages: PipelineStage[];
};

/** One association edge as served by v4 (NOTES §4.2): HubSpot-defined type id, no label. */
export type AssociationEdge = { toId: string; typeId: number };
