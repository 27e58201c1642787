import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileJournal, type JournalEntry } from '../../../../connectors/hubspot/sandbox';
import { rejection, startHarness, type Harness } from './sandbox-harness';

const NOW = Date.parse('2026-11-20T09:00:00.000Z');

describe('HubSpot sandbox: the write journal', () => {
  let h: Harness;
  let entries: JournalEntry[][];
  beforeAll(async () => {
    entries = [];
    h = await startHarness({
      contacts: 30,
      rateLimit: { perTenSeconds: 100_000 },
      now: () => NOW,
      journal: (written) => entries.push([...written]),
    });
  });
  afterAll(async () => {
    await h.server.close();
  });
  beforeEach(() => {
    entries.length = 0;
    h.sandbox.faults.partialFailureIds = new Set();
  });

  it('has one entry per object a batch update wrote, with the values as stored', async () => {
    const ids = h.sandbox.store.objects.contacts.ids.slice(0, 3);
    await h.client.crm.contacts.batchApi.update({
      inputs: ids.map((id, i) => ({ id, properties: { firstname: `F${i}`, gender: 'female' } })),
    });
    expect(entries).toEqual([
      ids.map((id, i) => ({
        time: new Date(NOW).toISOString(),
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/update',
        objectType: 'contacts',
        objectId: id,
        properties: { firstname: `F${i}`, gender: 'female' },
      })),
    ]);
  });

  it('leaves out inputs a 207 reports as failed, and has nothing for a refused batch', async () => {
    const ids = h.sandbox.store.objects.contacts.ids.slice(3, 7);
    h.sandbox.faults.partialFailureIds = new Set([ids[1]]);
    await h.client.crm.contacts.batchApi.update({
      inputs: [...ids, '99999'].map((id) => ({ id, properties: { firstname: 'P' } })),
    });
    expect(entries).toHaveLength(1);
    expect(entries[0].map((e) => e.objectId)).toEqual([ids[0], ids[2], ids[3]]);
    entries.length = 0;
    const refused = await rejection(() =>
      h.client.crm.contacts.batchApi.update({
        inputs: ids.map((id) => ({ id, properties: { gender: 'nope' } })),
      }),
    );
    expect(refused.code).toBe(400);
    expect(entries).toEqual([]);
  });

  it('records creates, single updates and archives', async () => {
    const created = await h.client.crm.contacts.basicApi.create({
      properties: { email: 'journal@example.com' },
      associations: [],
    });
    await h.client.crm.contacts.basicApi.update(created.id, { properties: { lastname: 'Jones' } });
    await h.client.crm.contacts.basicApi.archive(created.id);
    expect(
      entries.map((batch) =>
        batch.map(({ method, objectId, properties, archived }) => ({
          method,
          objectId,
          properties,
          archived,
        })),
      ),
    ).toEqual([
      [
        {
          method: 'POST',
          objectId: created.id,
          properties: { email: 'journal@example.com' },
          archived: undefined,
        },
      ],
      [{ method: 'PATCH', objectId: created.id, properties: { lastname: 'Jones' }, archived: undefined }],
      [{ method: 'DELETE', objectId: created.id, properties: {}, archived: true }],
    ]);
  });
});

describe('createFileJournal', () => {
  it('appends one NDJSON line per entry and keeps earlier lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-clv-journal-'));
    try {
      const file = join(dir, 'writes.ndjson');
      const entry = (objectId: string): JournalEntry => ({
        time: '2026-11-20T09:00:00.000Z',
        method: 'POST',
        path: '/crm/v3/objects/contacts/batch/update',
        objectType: 'contacts',
        objectId,
        properties: { clv_segment: 'seg-a' },
      });
      const first = createFileJournal(file);
      first.write([entry('1'), entry('2')]);
      first.write([]);
      first.close();
      const second = createFileJournal(file);
      second.write([entry('3')]);
      // Synchronous: the line is in the file before write() returns, with no close or flush.
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as JournalEntry).objectId)).toEqual(['1', '2', '3']);
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails at open, not at the first write, when the file cannot be appended to', () => {
    expect(() => createFileJournal(join(tmpdir(), 'no-such-dir-crm-clv', 'x.ndjson'))).toThrow(/ENOENT/);
  });
});
