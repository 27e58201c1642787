/**
 * The sandbox's tasks (the tasks guide, developers.hubspot.com/docs/api/crm/tasks; NOTES §4.1 batch limits):
 * created one by one and in batches of at most 100 through the unmodified client, `hs_timestamp` required,
 * associated with a contact by type 204 in the create body, found by a search on that association, journaled.
 */
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/AssociationSpec';
import type { JournalEntry } from '../../../../connectors/hubspot/sandbox';
import { rejection, startHarness, UUID, type Harness } from './sandbox-harness';

const journal: JournalEntry[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    contacts: 20,
    rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 },
    journal: (entries) => journal.push(...entries),
  });
});
afterAll(async () => {
  await h.server.close();
});

const toContact = (id: string) => ({
  to: { id },
  types: [
    { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 204 },
  ],
});

const task = (subject: string, contactId: string) => ({
  properties: {
    hs_timestamp: '2026-11-23T12:00:00.000Z',
    hs_task_subject: subject,
    hs_task_body: `notes of ${subject}`,
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'HIGH',
    hubspot_owner_id: h.sandbox.store.owners[0].id,
  },
  associations: [toContact(contactId)],
});

describe('HubSpot sandbox: tasks', () => {
  it('creates a task with 201, associated with its contact both ways, and journals it', async () => {
    const contactId = h.sandbox.store.objects.contacts.ids[3];
    const before = journal.length;
    const created = await h.client.crm.objects.basicApi.create('tasks', task('Call Ada', contactId));
    expect(created.properties).toMatchObject({
      hs_task_subject: 'Call Ada',
      hs_task_priority: 'HIGH',
      hs_timestamp: '2026-11-23T12:00:00.000Z',
      hubspot_owner_id: h.sandbox.store.owners[0].id,
    });
    const back = await h.client.crm.associations.v4.batchApi.getPage('contacts', 'tasks', {
      inputs: [{ id: contactId }],
    });
    expect(back.results[0].to.map((t) => String(t.toObjectId))).toEqual([created.id]);
    expect(back.results[0].to[0].associationTypes[0].typeId).toBe(203);
    expect(journal.slice(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/crm/v3/objects/tasks',
        objectType: 'tasks',
        objectId: created.id,
      }),
    ]);
  });

  it('refuses a task without hs_timestamp with HubSpot’s 400 VALIDATION_ERROR, creating nothing', async () => {
    const before = h.sandbox.store.objects.tasks.ids.length;
    const { hs_timestamp: _omitted, ...properties } = task(
      'No due date',
      h.sandbox.store.objects.contacts.ids[0],
    ).properties;
    const error = await rejection(() =>
      h.client.crm.objects.basicApi.create('tasks', { properties, associations: [] }),
    );
    expect(error.code).toBe(400);
    expect(error.body).toEqual({
      status: 'error',
      message: 'Error creating TASK. Some required properties were not set.',
      correlationId: expect.stringMatching(UUID) as unknown,
      category: 'VALIDATION_ERROR',
      context: { properties: ['hs_timestamp'] },
    });
    const batch = await rejection(() =>
      h.client.crm.objects.batchApi.create('tasks', {
        inputs: [task('fine', h.sandbox.store.objects.contacts.ids[0]), { properties, associations: [] }],
      }),
    );
    expect(batch.code).toBe(400);
    expect(h.sandbox.store.objects.tasks.ids.length).toBe(before);
  });

  it('batch-creates 100 tasks with 201 and refuses 101 with 400, creating none of them', async () => {
    const contacts = h.sandbox.store.objects.contacts.ids;
    const inputs = Array.from({ length: 101 }, (_, i) => task(`Batch ${i}`, contacts[i % contacts.length]));
    const before = h.sandbox.store.objects.tasks.ids.length;
    const error = await rejection(() => h.client.crm.objects.batchApi.create('tasks', { inputs }));
    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Batch input is limited to 100 inputs, but 101 were provided.',
    });
    expect(h.sandbox.store.objects.tasks.ids.length).toBe(before);
    const created = await h.client.crm.objects.batchApi.create('tasks', { inputs: inputs.slice(0, 100) });
    expect(created.results).toHaveLength(100);
    expect(h.sandbox.store.objects.tasks.ids.length).toBe(before + 100);
  });

  it('finds a contact’s tasks by a search on associations.contact', async () => {
    const contactId = h.sandbox.store.objects.contacts.ids[19];
    const mine = await h.client.crm.objects.basicApi.create('tasks', task('Only for 19', contactId));
    const found = await h.client.crm.objects.searchApi.doSearch('tasks', {
      filterGroups: [
        { filters: [{ propertyName: 'associations.contact', operator: 'EQ' as never, value: contactId }] },
      ],
      properties: ['hs_task_subject', 'hs_task_body'],
      limit: 200,
      after: '0',
      sorts: [],
    });
    // Contact 19 also got tasks of the batch above (every 20th input).
    expect(found.results.map((t) => t.id)).toContain(mine.id);
    expect(found.results.every((t) => t.properties.hs_task_subject !== undefined)).toBe(true);
    const subjects = found.results.map((t) => t.properties.hs_task_subject);
    expect(subjects).toEqual(expect.arrayContaining(['Only for 19', 'Batch 19', 'Batch 39']));
    expect(subjects).not.toContain('Batch 18');
  });
});
