/**
 * Acceptance: "every route the connector uses is in the endpoints TSV with the same method and success code".
 * Observed, not listed by hand: a recorder in front of the sandbox logs every request the real connector flows
 * send through the real @hubspot/api-client (full and incremental sync, ensureClvProperties, writeChangedValues
 * with a 207 partial batch and a 429 storm), and each request is checked against
 * `../shared/contracts/hubspot/api-client-14.0.1-endpoints.tsv` (NOTES §4, §5.3).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WantedValues, WrittenValues } from '../../../../connectors/hubspot/changed-values';
import { syncHubSpot, type SyncSummary } from '../../../../connectors/hubspot/sync';
import {
  ensureClvProperties,
  writeChangedValues,
  type WriteChangedValuesResult,
} from '../../../../connectors/hubspot/writeback';
import { FileRecordStore } from '../../../../worker/state';
import { storeSink } from '../../../../worker/state/store-sink';
import { RETRY, SEGMENTS, scoresFor } from '../writeback/writeback-harness';
import { startContractHarness, TENANT, type ContractHarness } from './contract-harness';
import { ENDPOINTS_TSV } from './contracts-dir';
import {
  contractProblems,
  resolveEndpoint,
  type ExpectedErrorStatus,
  type ObservedRequest,
} from './endpoint-match';
import { parseEndpointsTsv } from './endpoints-tsv';
import { RAW_ENDPOINT_ROWS } from './raw-endpoints';

const tsvRows = parseEndpointsTsv(readFileSync(ENDPOINTS_TSV, 'utf8'));
/** The SDK's rows, and the campaigns routes the connector calls through apiRequest (raw-endpoints.ts). */
const rows = [...tsvRows, ...RAW_ENDPOINT_ROWS];

/** Error answers the flows meet on purpose; any other 4xx/5xx (a 404 for an unrouted path, say) is a problem. */
const EXPECTED_ERRORS: readonly ExpectedErrorStatus[] = [
  {
    status: 409,
    clientMethods: ['client.crm.properties.groupsApi.create', 'client.crm.properties.coreApi.create'],
    why: 'NOTES §4.5: creating an existing property or group answers 409, read as "exists"',
  },
  { status: 429, why: 'the rate-limit storm this test injects (sandbox faults)' },
  {
    status: 400,
    clientMethods: ['client.crm.contacts.batchApi.update'],
    why: 'NOTES §4.1, §7: a batch with an option the property lacks is refused whole; write-back resends the rest',
  },
];

const FAILING_IDS = [3, 120];
const STORM = 2;

let h: ContractHarness;
let dir: string;
let requests: ObservedRequest[];
let incremental: SyncSummary;
let partial: WriteChangedValuesResult;
let storm: WriteChangedValuesResult;
let refused: WriteChangedValuesResult;
const UNKNOWN_OPTION_IDS = [31, 47];

function scores(ids: readonly string[], bump = 0): Map<string, WantedValues> {
  return new Map(
    ids.map((id, i) => {
      const s = scoresFor(i);
      return [id, { ...s, clv_predicted_12m: Number(s.clv_predicted_12m) + bump }] as const;
    }),
  );
}

/** A contact, a won deal and a line item of another won deal change, so the incremental sync searches, re-reads and
 * follows associations. Arranged through the client with the recorder paused: these are not connector calls. */
async function changeSomeRecords(): Promise<void> {
  const { client } = h.connection;
  const { objects, associations } = h.sandbox.store;
  h.recorder.paused = true;
  try {
    await client.crm.contacts.batchApi.update({
      inputs: [{ id: objects.contacts.ids[5], properties: { hs_email_open: '9' } }],
    });
    const wonDeals = objects.deals.ids.filter(
      (id) =>
        objects.deals.byId.get(id)?.properties.dealstage === 'closedwon' &&
        (associations.get('deals|line_items')?.get(id)?.length ?? 0) > 1,
    );
    await client.crm.deals.basicApi.update(wonDeals[0], {
      properties: { hubspot_owner_id: h.sandbox.store.owners[0].id },
    });
    // A line item of another deal: that deal is re-read by batch read, its other lines too.
    const lineId = associations.get('deals|line_items')?.get(wonDeals[1])?.[0]?.toId ?? '';
    await client.crm.lineItems.basicApi.update(lineId, { properties: { quantity: '3' } });
  } finally {
    h.recorder.paused = false;
  }
}

beforeAll(async () => {
  h = await startContractHarness(150);
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-contract-'));
  const store = new FileRecordStore(dir);
  const connection = h.connection;

  await syncHubSpot({
    connection,
    sink: storeSink(store, TENANT),
    tenant: TENANT,
    mode: 'full',
    retry: RETRY,
  });
  await changeSomeRecords();
  incremental = await syncHubSpot({
    connection,
    sink: storeSink(store, TENANT),
    tenant: TENANT,
    mode: 'incremental',
    retry: RETRY,
  });

  await ensureClvProperties(connection, { segments: SEGMENTS, retry: RETRY });
  // Second run: every create answers 409, the definitions are read and a new segment option is PATCHed in.
  const ensured = await ensureClvProperties(connection, {
    segments: [...SEGMENTS, { id: 'seg-vip', name: 'VIP' }],
    retry: RETRY,
  });

  const ids = h.sandbox.store.objects.contacts.ids.slice();
  h.sandbox.faults.partialFailureIds = new Set(FAILING_IDS.map((i) => ids[i]));
  const lastWritten = new Map<string, WrittenValues>();
  partial = await writeChangedValues(connection, {
    updates: scores(ids),
    lastWritten,
    definitions: ensured.definitions,
    retry: RETRY,
    onProgress: (p) => {
      if (p.round === 0 && p.batchesDone === p.batchesInRound) h.sandbox.faults.partialFailureIds.clear();
    },
  });

  h.sandbox.faults.rateLimitStorm = STORM;
  storm = await writeChangedValues(connection, {
    updates: scores(ids.slice(0, 30), 10),
    lastWritten,
    definitions: ensured.definitions,
    retry: RETRY,
    concurrency: 1,
  });

  // No definitions, so no pre-check: two contacts carry a segment the property has no option for.
  const bogus = new Set(UNKNOWN_OPTION_IDS.map((i) => ids[i]));
  refused = await writeChangedValues(connection, {
    updates: new Map(
      ids.slice(30, 60).map((id, i) => {
        const s = scoresFor(i);
        return [
          id,
          {
            ...s,
            clv_predicted_12m: Number(s.clv_predicted_12m) + 20,
            ...(bogus.has(id) ? { clv_segment: 'seg-bogus' } : {}),
          },
        ] as const;
      }),
    ),
    lastWritten,
    retry: RETRY,
  });
  requests = h.recorder.requests.slice();
});

afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const routeOf = (r: ObservedRequest): string => {
  const resolved = resolveEndpoint(rows, r.method, r.path);
  return 'row' in resolved ? resolved.row.clientMethod : `unresolved ${r.method} ${r.path}`;
};

describe('the endpoints TSV as the checker reads it', () => {
  it('has a row for every method the contracts README lists, owners getById read as written', () => {
    expect(tsvRows.length).toBeGreaterThan(100);
    expect(rows.find((r) => r.clientMethod === 'client.crm.owners.ownersApi.getById')).toEqual({
      clientMethod: 'client.crm.owners.ownersApi.getById',
      httpMethod: 'GET',
      path: '/crm/v3/owners/{ownerId}',
      queryParams: ['idProperty', 'archived'],
      successCodes: [200],
    });
  });

  it('refuses a row whose columns are shifted instead of guessing its route', () => {
    const shifted = "client.x.getById\t(id?: 'a'\t'b')\tGET /x/{id}\tquery: a\toauth2\t200\tX\n";
    expect(() => parseEndpointsTsv(shifted)).toThrow(/line 1: third column/);
  });

  it('rejects what the contract does not allow, so a conforming log means something', () => {
    const check = (r: Omit<ObservedRequest, 'queryKeys'> & { queryKeys?: string[] }): string[] =>
      contractProblems(rows, { queryKeys: [], ...r }, EXPECTED_ERRORS);
    // NOTES §5.3: the client throws on any status but the listed ones, even another 2xx.
    expect(check({ method: 'POST', path: '/crm/v3/properties/contacts', status: 200 })).toHaveLength(1);
    expect(
      check({ method: 'POST', path: '/crm/v3/objects/contacts/batch/update', status: 201 }),
    ).toHaveLength(1);
    expect(check({ method: 'POST', path: '/crm/v3/objects/contacts/search', status: 207 })).toHaveLength(1);
    expect(check({ method: 'GET', path: '/crm/v3/objects/contacts/batch/read', status: 200 })).toEqual([
      expect.stringContaining('no TSV row'),
    ]);
    expect(
      check({ method: 'GET', path: '/crm/v3/objects/contacts', status: 200, queryKeys: ['limit', 'sort'] }),
    ).toEqual([expect.stringContaining("query key 'sort'")]);
    expect(check({ method: 'POST', path: '/crm/v3/objects/contacts/batch/update', status: 404 })).toEqual([
      expect.stringContaining('unexpected error status'),
    ]);
    expect(
      check({ method: 'POST', path: '/crm/v3/objects/contacts/batch/update', status: 409 }),
    ).toHaveLength(1);
  });

  it('resolves per-type rows before generic ones and ignores the owners trailing slash (NOTES §4.3)', () => {
    const method = (m: string, p: string): string =>
      routeOf({ method: m, path: p, queryKeys: [], status: 200 });
    expect(method('POST', '/crm/v3/objects/contacts/batch/read')).toBe('client.crm.contacts.batchApi.read');
    expect(method('POST', '/crm/v3/objects/tickets/search')).toBe('client.crm.objects.searchApi.doSearch');
    expect(method('GET', '/crm/v3/properties/contacts/groups')).toBe(
      'client.crm.properties.groupsApi.getAll',
    );
    expect(method('GET', '/crm/v3/owners')).toBe('client.crm.owners.ownersApi.getPage');
    expect(method('GET', '/crm/v3/owners/')).toBe('client.crm.owners.ownersApi.getPage');
    expect(method('GET', '/crm/v3/owners/41629779')).toBe('client.crm.owners.ownersApi.getById');
  });
});

describe('the connector flows against the sandbox, through the real client', () => {
  it('ran as arranged: incremental re-reads, a 207 retried, a 429 storm waited out', () => {
    expect(incremental.read).toMatchObject({ contacts: 1, line_items: 1 });
    expect(incremental.read.deals).toBe(2);
    expect(partial).toMatchObject({ contactsWritten: 150, retriedInputs: FAILING_IDS.length, failed: [] });
    expect(storm).toMatchObject({ contactsWritten: 30, rateLimitWaits: STORM, failed: [] });
    expect(refused).toMatchObject({ contactsChanged: 30, contactsWritten: 28, writeCalls: 2 });
    expect(refused.failed.map((f) => f.reason)).toEqual([
      expect.stringContaining("clv_segment value 'seg-bogus'"),
      expect.stringContaining("clv_segment value 'seg-bogus'"),
    ]);
  });

  it('sent only TSV routes (or the campaigns API routes), with their query keys, answered with their success codes', () => {
    const problems = requests.flatMap((r) => contractProblems(rows, r, EXPECTED_ERRORS));
    expect(problems).toEqual([]);
  });

  it('used the object search, batch reads, v4 associations, batch update, properties, pipelines and owners', () => {
    const used = [...new Set(requests.map(routeOf))].sort();
    expect(used).toEqual(
      expect.arrayContaining([
        'client.crm.contacts.basicApi.getPage',
        'client.crm.contacts.searchApi.doSearch',
        'client.crm.deals.searchApi.doSearch',
        'client.crm.deals.batchApi.read',
        'client.crm.lineItems.batchApi.read',
        'client.crm.associations.v4.batchApi.getPage',
        'client.crm.contacts.batchApi.update',
        'client.crm.properties.groupsApi.create',
        'client.crm.properties.coreApi.create',
        'client.crm.properties.coreApi.getAll',
        'client.crm.properties.coreApi.update',
        'client.crm.pipelines.pipelinesApi.getAll',
        'client.crm.owners.ownersApi.getPage',
        'client.apiRequest GET marketing campaigns',
        'client.apiRequest GET marketing campaign contacts report',
      ]),
    );
  });

  it('met a 207 only on batch update, whose TSV row allows it, and the injected 429s', () => {
    const byStatus = (status: number): string[] =>
      [...new Set(requests.filter((r) => r.status === status).map(routeOf))].sort();
    expect(byStatus(207)).toEqual(['client.crm.contacts.batchApi.update']);
    expect(byStatus(400)).toEqual(['client.crm.contacts.batchApi.update']);
    expect(requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(STORM);
    expect(byStatus(201)).toEqual([
      'client.crm.properties.coreApi.create',
      'client.crm.properties.groupsApi.create',
    ]);
  });
});
