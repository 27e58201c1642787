/**
 * Creates DESIGN's `clv` group and 17 contact properties idempotently (NOTES §4.5):
 * create first; 409 OBJECT_ALREADY_EXISTS means "exists", so the existing definitions are read and missing
 * enumeration options (new segment ids, fixed RFM / churn-risk / retention options) are PATCHed in, before
 * any value that uses them is written (an unknown option fails the whole batch, NOTES §7).
 */
import type { HubSpotConnection } from '../create-client';
import { HubSpotRequestError } from '../errors';
import {
  CLV_GROUP,
  CLV_PROPERTIES,
  interestOptions,
  missingOptions,
  segmentOptions,
  type PropertyCreate,
  type PropertyOption,
} from '../property-contract';
import type { RetryOptions } from '../retry-policy';
import type { EnumerationDefinition } from '../unknown-options';
import { createCaller, type HubSpotCaller } from './hubspot-caller';

const OBJECT_TYPE = 'contacts';

/** The SDK's create body; its enums take the same strings as our PropertyCreate. */
type SdkPropertyCreate = Parameters<HubSpotConnection['client']['crm']['properties']['coreApi']['create']>[1];

export type EnsureClvPropertiesInput = {
  /** The run's behavioural segments: stable id → clv_segment option value, name → label. */
  segments: readonly { id: string; name: string }[];
  /** The run's interest segment names (clv_interest options); none when absent. */
  interests?: readonly string[];
  retry?: Partial<RetryOptions>;
};

export type EnsureClvPropertiesResult = {
  groupCreated: boolean;
  /** Properties this run created. */
  created: string[];
  /** Properties that existed already (their create answered 409). */
  existing: string[];
  /** Option values added to existing enumeration properties, per property. */
  optionsAdded: Record<string, string[]>;
  /** The clv enumeration properties with every option they now have, for unknownOptionValues. */
  definitions: EnumerationDefinition[];
  calls: number;
  rateLimitWaits: number;
};

/** The contract's properties with clv_segment's and clv_interest's options taken from the run. */
export function wantedProperties(
  segments: readonly { id: string; name: string }[],
  interests: readonly string[] = [],
): PropertyCreate[] {
  return CLV_PROPERTIES.map((p) => {
    if (p.name === 'clv_segment') return { ...p, options: segmentOptions(segments) };
    if (p.name === 'clv_interest') return { ...p, options: interestOptions(interests) };
    return { ...p };
  });
}

function isConflict(error: unknown): boolean {
  return error instanceof HubSpotRequestError && error.status === 409;
}

/** Runs a create; true when created, false when it already existed (409). */
async function createOrExists(caller: HubSpotCaller, create: () => Promise<unknown>): Promise<boolean> {
  try {
    await caller.call(create);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

export async function ensureClvProperties(
  connection: HubSpotConnection,
  input: EnsureClvPropertiesInput,
): Promise<EnsureClvPropertiesResult> {
  const ids = new Set<string>();
  for (const s of input.segments) {
    if (s.id === '' || ids.has(s.id))
      throw new RangeError(`segment ids must be non-empty and unique, got '${s.id}' twice or empty`);
    ids.add(s.id);
  }
  const caller = createCaller(connection, input.retry);
  const { client } = connection;

  const groupCreated = await createOrExists(caller, () =>
    client.crm.properties.groupsApi.create(OBJECT_TYPE, {
      name: CLV_GROUP.name,
      label: CLV_GROUP.label,
      displayOrder: CLV_GROUP.displayOrder,
    }),
  );

  const wanted = wantedProperties(input.segments, input.interests);
  const created: string[] = [];
  const existing: string[] = [];
  for (const property of wanted) {
    const body = property as unknown as SdkPropertyCreate;
    const ok = await createOrExists(caller, () => client.crm.properties.coreApi.create(OBJECT_TYPE, body));
    (ok ? created : existing).push(property.name);
  }

  const optionsAdded: Record<string, string[]> = {};
  const finalOptions = new Map<string, readonly { value: string }[]>();
  for (const p of wanted)
    if (p.type === 'enumeration' && created.includes(p.name)) finalOptions.set(p.name, p.options ?? []);

  const existingEnums = wanted.filter((p) => p.type === 'enumeration' && existing.includes(p.name));
  if (existingEnums.length > 0) {
    // One read of all contact properties instead of one per 409.
    const all = await caller.call(() => client.crm.properties.coreApi.getAll(OBJECT_TYPE));
    const byName = new Map(all.results.map((p) => [p.name, p]));
    for (const property of existingEnums) {
      const current = byName.get(property.name);
      if (current === undefined)
        throw new Error(`HubSpot answered 409 for ${property.name} but does not list it; run again`);
      const have: PropertyOption[] = (current.options ?? []).map((o, i) => ({
        label: o.label,
        value: o.value,
        displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
        hidden: o.hidden === true,
      }));
      const missing = missingOptions(have, property.options ?? []);
      if (missing.length > 0) {
        // PATCH replaces the option list, so send the existing options too (NOTES §4.5).
        const options = [...have, ...missing];
        await caller.call(() =>
          client.crm.properties.coreApi.update(OBJECT_TYPE, property.name, { options }),
        );
        optionsAdded[property.name] = missing.map((o) => o.value);
        finalOptions.set(property.name, options);
      } else {
        finalOptions.set(property.name, have);
      }
    }
  }

  const definitions: EnumerationDefinition[] = [...finalOptions].map(([name, options]) => ({
    name,
    type: 'enumeration',
    options: options.map((o) => ({ value: o.value })),
  }));
  return {
    groupCreated,
    created,
    existing,
    optionsAdded,
    definitions,
    calls: caller.stats.calls,
    rateLimitWaits: caller.stats.rateLimitWaits,
  };
}
