/**
 * The owner-task calls checked like the rest of the connector (endpoints-contract.test.ts): every request the
 * HubSpot owner-task functions send through the real client — the contacts' owners read back, the batch create
 * of tasks, the search for a task by its contact — is a route of the endpoints TSV with its method, query keys
 * and success code, and the sandbox's answers deserialise through the client's models.
 */
import { readFileSync } from 'node:fs';
import {
  createOwnerTasks,
  findOwnerTasks,
  readTaskContacts,
} from '../../../../connectors/hubspot/owner-tasks';
import { RETRY } from '../writeback/writeback-harness';
import { startContractHarness, type ContractHarness } from './contract-harness';
import { ENDPOINTS_TSV } from './contracts-dir';
import { contractProblems, resolveEndpoint, type ObservedRequest } from './endpoint-match';
import { parseEndpointsTsv } from './endpoints-tsv';

const rows = parseEndpointsTsv(readFileSync(ENDPOINTS_TSV, 'utf8'));

let h: ContractHarness;
let requests: ObservedRequest[];
let found: Map<string, string>;
let created: Awaited<ReturnType<typeof createOwnerTasks>>;

beforeAll(async () => {
  h = await startContractHarness(30);
  const ids = h.sandbox.store.objects.contacts.ids.slice(0, 3);
  const { contacts } = await readTaskContacts(h.connection, ids, RETRY);
  created = await createOwnerTasks(h.connection, {
    tasks: ids.map((id, i) => ({
      customerId: id,
      ownerId: contacts.get(id)?.ownerId,
      subject: `Retention call ${i}`,
      body: `notes\nReference: crmclv-marker${i}`,
      dueAt: new Date('2026-11-23T12:00:00.000Z'),
      marker: `crmclv-marker${i}`,
    })),
    retry: RETRY,
  });
  found = (
    await findOwnerTasks(
      h.connection,
      [
        { customerId: ids[0], marker: 'crmclv-marker0' },
        { customerId: ids[1], marker: 'crmclv-marker0' },
      ],
      RETRY,
    )
  ).found;
  requests = h.recorder.requests.slice();
});

afterAll(async () => {
  await h.close();
});

describe('owner tasks against the endpoints TSV', () => {
  it('created one task per input and found a task only on its own contact', () => {
    expect(created.created).toHaveLength(3);
    expect(created.failed).toEqual([]);
    expect([...found]).toEqual([['crmclv-marker0', created.created[0].taskId]]);
  });

  it('sent only TSV routes, with TSV query keys, answered with TSV success codes', () => {
    expect(requests.flatMap((r) => contractProblems(rows, r, []))).toEqual([]);
    const used = requests.map((r) => {
      const resolved = resolveEndpoint(rows, r.method, r.path);
      return 'row' in resolved ? resolved.row.clientMethod : `unresolved ${r.method} ${r.path}`;
    });
    expect([...new Set(used)].sort()).toEqual([
      'client.crm.contacts.batchApi.read',
      'client.crm.objects.batchApi.create',
      'client.crm.objects.searchApi.doSearch',
    ]);
  });
});
