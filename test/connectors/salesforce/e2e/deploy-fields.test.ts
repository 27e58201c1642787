/**
 * ensureFields' Metadata API deployer against the real Salesforce sandbox (jsforce 3.10.16 over HTTP, its
 * Metadata SOAP API with field-level security): a fresh org gets the 17 contract fields in 2 upserts (10 + 7),
 * the permission set CRM_CLV_Integration and its assignment, and write-back works; a rerun only reads; a new
 * segment adds one picklist value with one upsert of one field; a refused component is reported by name; an
 * expired session during the metadata calls is refreshed once; the check-only mode describes and nothing else.
 */
import type { FieldValues } from '../../../../connectors/crm-adapter';
import {
  SalesforceFieldsMissingError,
  SalesforceMetadataError,
} from '../../../../connectors/salesforce/errors';
import type { SalesforceAdapter } from '../../../../connectors/salesforce/salesforce-adapter';
import { CONTRACT_FIELDS } from '../../../../connectors/salesforce/writeback/contract-fields';
import { INTEGRATION_PERMISSION_SET } from '../../../../connectors/salesforce/writeback/deploy-fields';
import { MemorySink } from '../connector/memory-sink';
import { collectionUpdates, startOrg, type Org } from './org-harness';

type MetadataCall = { op: 'read' | 'upsert'; type: string; names: string[] };

/** Records the Metadata calls jsforce makes (the real methods still run). */
function recordMetadata(adapter: SalesforceAdapter): MetadataCall[] {
  const calls: MetadataCall[] = [];
  const metadata = adapter.connection.conn.metadata as unknown as Record<
    'read' | 'upsert',
    (type: string, arg: unknown) => Promise<unknown>
  >;
  for (const op of ['read', 'upsert'] as const) {
    const real = metadata[op].bind(metadata);
    metadata[op] = (type, arg) => {
      const names = (arg as (string | { fullName: string })[]).map((a) =>
        typeof a === 'string' ? a : a.fullName,
      );
      calls.push({ op, type, names });
      return real(type, arg);
    };
  }
  return calls;
}

const upserts = (calls: MetadataCall[], type = 'CustomField') =>
  calls.filter((c) => c.op === 'upsert' && c.type === type);

const values = (segment: string): FieldValues => ({
  clv_segment: segment,
  clv_rfm_segment: 'cant_lose_them',
  clv_churn_risk: 'high',
  clv_retention_group: 'control',
  clv_interest: 'home_garden',
  clv_p_alive: 0.5,
  clv_expected_orders_12m: 2.345,
  clv_scored_at: new Date(Date.UTC(2026, 10, 1)),
  clv_model_version: 'v1',
});

describe('ensureFields deploys the contract fields through the Metadata API', () => {
  let org: Org;
  afterEach(() => org?.close());

  it('a fresh org gets 17 fields in 2 upserts, the permission set and its assignment; write-back works; a rerun only reads', async () => {
    org = await startOrg({ contacts: 20 });
    const adapter = await org.adapter();
    const calls = recordMetadata(adapter);
    const run = { segments: [{ id: 'seg-loyal', name: 'Loyal regulars' }], interests: ['Home & Garden'] };

    const first = await adapter.ensureFields(run);
    expect(first.created).toEqual(CONTRACT_FIELDS.map((f) => f.field));
    expect(first.existing).toEqual([]);
    expect(upserts(calls).map((c) => c.names.length)).toEqual([10, 7]);
    expect(upserts(calls, 'PermissionSet')).toEqual([
      { op: 'upsert', type: 'PermissionSet', names: [INTEGRATION_PERMISSION_SET] },
    ]);
    const permissionSet = org.sandbox.metadata.permissionSet(INTEGRATION_PERMISSION_SET)!;
    expect(permissionSet.fieldPermissions).toHaveLength(17);
    expect(permissionSet.fieldPermissions.every((p) => p.readable && p.editable)).toBe(true);
    const assignments = [...org.sandbox.store.records.get('PermissionSetAssignment')!.values()];
    expect(assignments).toHaveLength(1);
    expect(assignments[0]!.AssigneeId).toBe(org.sandbox.store.apiUserId);
    expect(
      org.sandbox.metadata.customField('Contact.CLV_Interest__c')!.values!.map((v) => v.fullName),
    ).toEqual(['varied', 'unknown', 'home_garden']);

    const sink = new MemorySink();
    await adapter.readRecords({ mode: 'full' }, sink);
    const ids = [...sink.records.customer.keys()];
    const lastWritten = new Map();
    const report = await adapter.writeChanged({
      values: new Map(ids.map((id) => [id, values('seg-loyal')])),
      lastWritten,
    });
    expect(report).toMatchObject({ customersWritten: 20, failed: [] });
    expect(collectionUpdates(org.journal)).toHaveLength(1);
    expect(org.sandbox.store.records.get('Contact')!.get(ids[0]!)).toMatchObject({
      CLV_Segment__c: 'seg-loyal',
      CLV_RFM_Segment__c: 'cant_lose_them',
      CLV_Churn_Risk__c: 'high',
      CLV_Expected_Orders_12M__c: 2.35,
      CLV_P_Alive__c: 50,
    });

    calls.length = 0;
    const rerun = await adapter.ensureFields(run);
    expect(rerun).toMatchObject({ created: [], optionsAdded: {}, calls: 3 });
    expect(rerun.existing).toHaveLength(17);
    expect(calls.map((c) => [c.op, c.names.length])).toEqual([
      ['read', 10],
      ['read', 7],
    ]);
    expect(org.sandbox.store.records.get('PermissionSetAssignment')!.size).toBe(1);
  });

  it('a new segment in a later run adds that picklist value with one upsert of one field', async () => {
    org = await startOrg({ contacts: 5 });
    const adapter = await org.adapter();
    await adapter.ensureFields({ segments: [{ id: 'seg-loyal', name: 'Loyal regulars' }] });
    const calls = recordMetadata(adapter);
    const later = await adapter.ensureFields({
      segments: [
        { id: 'seg-loyal', name: 'Loyal regulars' },
        { id: 'seg-new', name: 'New buyers' },
      ],
    });
    expect(later.created).toEqual([]);
    expect(later.optionsAdded).toEqual({ clv_segment: ['seg-new'] });
    expect(upserts(calls)).toEqual([
      { op: 'upsert', type: 'CustomField', names: ['Contact.CLV_Segment__c'] },
    ]);
    expect(upserts(calls, 'PermissionSet')).toEqual([]);
    const segment = org.sandbox.metadata.customField('Contact.CLV_Segment__c')!;
    expect(segment.values!.map((v) => [v.fullName, v.label])).toEqual([
      ['seg-loyal', 'Loyal regulars'],
      ['seg-new', 'New buyers'],
    ]);
    expect(segment.restricted).toBe(false);
  });

  it('a field an admin deployed without access is granted, not recreated', async () => {
    org = await startOrg({ contacts: 5 });
    const first = await org.adapter();
    await first.ensureFields({ segments: [] });
    // The permission set's assignment removed: the fields exist but the integration user cannot see them.
    const assignments = org.sandbox.store.records.get('PermissionSetAssignment')!;
    assignments.clear();
    org.sandbox.metadata.sync();
    const adapter = await org.adapter();
    const calls = recordMetadata(adapter);
    const report = await adapter.ensureFields({ segments: [] });
    expect(report.created).toEqual([]);
    expect(upserts(calls)).toEqual([]);
    expect(upserts(calls, 'PermissionSet')).toEqual([]);
    expect(assignments.size).toBe(1);
  });

  it('reports a component the Metadata API refuses, naming the field and what Salesforce said', async () => {
    org = await startOrg({ contacts: 5 });
    // An existing churn-risk picklist lacking "high", whose label the Metadata API will not take back.
    org.sandbox.defineCustomField('Contact', {
      name: 'CLV_Churn_Risk__c',
      label: 'Churn risk band as set up by an admin years ago',
      type: 'Picklist',
      values: ['low', 'medium'],
    });
    const adapter = await org.adapter();
    const error = await adapter.ensureFields({ segments: [] }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceMetadataError);
    expect((error as SalesforceMetadataError).failures).toEqual([
      {
        fullName: 'Contact.CLV_Churn_Risk__c',
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Field label: data value too large (max length=40)',
      },
    ]);
    expect((error as Error).message).toMatch(
      /Contact\.CLV_Churn_Risk__c \(FIELD_INTEGRITY_EXCEPTION: Field label/,
    );
    // The other 16 were saved (the refusal is per component).
    expect(org.sandbox.metadata.customField('Contact.CLV_Model_Version__c')).toBeDefined();
  });

  it('refreshes a session that expires during the metadata calls once', async () => {
    const client = { clientId: 'crm-clv-app', clientSecret: 'app-secret', refreshTokens: ['refresh-1'] };
    org = await startOrg({ contacts: 5, oauthClients: [client] });
    const adapter = await org.adapter({
      kind: 'refresh-token',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken: 'refresh-1',
      loginUrl: org.server.url,
    });
    const calls = recordMetadata(adapter);
    const metadata = adapter.connection.conn.metadata as unknown as Record<
      'upsert',
      (type: string, arg: unknown) => Promise<unknown>
    >;
    const upsert = metadata.upsert;
    let expired = 0;
    metadata.upsert = (type, arg) => {
      if (expired++ === 0) org.sandbox.tokens.expire(adapter.connection.conn.accessToken as string);
      return upsert(type, arg);
    };
    expect(org.sandbox.tokens.grants.refresh_token).toBe(1);
    const report = await adapter.ensureFields({ segments: [] });
    expect(org.sandbox.tokens.grants.refresh_token).toBe(2);
    expect(adapter.connection.guard.refreshes).toBe(1);
    expect(report.created).toHaveLength(17);
    expect(upserts(calls).map((c) => c.names.length)).toEqual([10, 7]);
  });

  it('check-only: describes and reports what to deploy on a fresh org, passes on an org an admin set up', async () => {
    org = await startOrg({ contacts: 5 });
    const adapter = await org.adapter(undefined, { fields: 'check' });
    const calls = recordMetadata(adapter);
    const error = await adapter.ensureFields({ segments: [] }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(SalesforceFieldsMissingError);
    expect((error as SalesforceFieldsMissingError).missing).toHaveLength(17);
    expect(calls).toEqual([]);
    await org.close();

    org = await startOrg({ contacts: 5 }, { predefinedFields: true });
    const checked = await org.adapter(undefined, { fields: 'check' });
    const checkedCalls = recordMetadata(checked);
    const report = await checked.ensureFields({ segments: [{ id: 'seg-x', name: 'X' }] });
    expect(report).toMatchObject({ created: [], optionsAdded: {}, calls: 1 });
    expect(checkedCalls).toEqual([]);
  });
});
