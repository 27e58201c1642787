import { MAX_BODY_BYTES } from '../../../../connectors/hubspot/sandbox';
import { startHarness, UUID, type Harness } from './sandbox-harness';
import { fieldsTheModelDrops } from './sdk-model-fields';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ contacts: 40, rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 } });
});
afterAll(async () => {
  await h.server.close();
});

async function raw(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
  const response = await h.client.apiRequest({ method, path, body });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

// Error bodies are not checked here: ApiException keeps the raw JSON (NOTES §5.3), and the docs' `status` field
// (§4.7) is not in the SDK's Error model.
describe('HubSpot sandbox responses deserialise through the SDK models without loss (NOTES §5.3)', () => {
  it.each([
    [
      'GET',
      '/crm/v3/objects/contacts?limit=5&associations=deals',
      undefined,
      'crm/objects',
      'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging',
    ],
    [
      'POST',
      '/crm/v3/objects/contacts/search',
      { limit: 5, filterGroups: [] },
      'crm/objects',
      'CollectionResponseWithTotalSimplePublicObjectForwardPaging',
    ],
    [
      'POST',
      '/crm/v3/objects/deals/batch/read',
      { inputs: [{ id: '5000001' }, { id: '1' }], properties: ['amount'] },
      'crm/objects',
      'BatchResponseSimplePublicObjectWithErrors',
    ],
    ['GET', '/crm/v3/properties/contacts', undefined, 'crm/properties', 'CollectionResponsePropertyNoPaging'],
    [
      'GET',
      '/crm/v3/properties/contacts/groups',
      undefined,
      'crm/properties',
      'CollectionResponsePropertyGroupNoPaging',
    ],
    ['GET', '/crm/v3/owners/?limit=3', undefined, 'crm/owners', 'CollectionResponsePublicOwnerForwardPaging'],
    ['GET', '/crm/v3/pipelines/deals', undefined, 'crm/pipelines', 'CollectionResponsePipelineNoPaging'],
    [
      'POST',
      '/crm/v4/associations/contacts/deals/batch/read',
      { inputs: [{ id: '101' }, { id: '1' }] },
      'crm/associations/v4',
      'BatchResponsePublicAssociationMultiWithLabelWithErrors',
    ],
  ] as const)('%s %s', async (method, path, body, modelsDir, model) => {
    const json = await raw(method, path, body);
    expect(await fieldsTheModelDrops(json, modelsDir, model)).toEqual([]);
  });
});

// The client does not deserialise error bodies (ApiException keeps the raw JSON, NOTES §5.3), but the spec's `Error`
// is what every HubSpot error claims to be: the sandbox's new answers must be one (plus the docs' `status`, §4.7).
describe('HubSpot sandbox error answers are the spec Error model (NOTES §4.7)', () => {
  const contact = () => h.sandbox.store.objects.contacts.ids[0];
  it.each([
    [
      '400 INVALID_OPTION for a whole batch',
      () => ({ inputs: [{ id: contact(), properties: { gender: 'not-an-option' } }] }),
      400,
    ],
    [
      '400 for an object where a value belongs',
      () => ({ inputs: [{ id: contact(), properties: { firstname: { a: 1 } } }] }),
      400,
    ],
    [
      '413 for a body over the limit',
      () => ({ inputs: [{ id: contact(), properties: { firstname: 'x'.repeat(MAX_BODY_BYTES) } }] }),
      413,
    ],
  ] as const)('%s', async (_what, body, status) => {
    const response = await h.client.apiRequest({
      method: 'POST',
      path: '/crm/v3/objects/contacts/batch/update',
      body: body(),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      category: expect.any(String),
      correlationId: expect.stringMatching(UUID),
      message: expect.any(String),
    });
    expect(await fieldsTheModelDrops(json, 'crm/objects', 'ModelError')).toEqual(['$.status']);
  });
});
