/**
 * The sandbox's exchange recorder sees each request as the client sent it and the answer as sent back,
 * including a body no route read (a request refused before its body was parsed) and a chunked upload.
 */
import { createSalesforceSandbox, type RecordedExchange } from '../../../../connectors/salesforce/sandbox';

const TOKEN = 'sandbox-token';

describe('the exchange recorder', () => {
  const exchanges: RecordedExchange[] = [];
  const sandbox = createSalesforceSandbox({
    token: TOKEN,
    orgId: '00D000000000001AAA',
    seed: 3,
    contacts: 5,
    recorder: (e) => void exchanges.push(e),
  });
  let url = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ url, close } = await sandbox.listen(0));
  });
  afterAll(() => close());
  beforeEach(() => {
    exchanges.length = 0;
  });

  const settled = async () => {
    for (let i = 0; i < 50 && exchanges.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    return exchanges[0];
  };

  it('records the request body that was parsed and the JSON answer, with the headers sent', async () => {
    const id = [...sandbox.store.records.get('Contact')!.keys()][0];
    const body = JSON.stringify({
      allOrNone: false,
      records: [{ id, attributes: { type: 'Contact' }, LeadSource: 'Web' }],
    });
    const res = await fetch(`${url}/services/data/v62.0/composite/sobjects?x=1`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'Sforce-Call-Options': 'client=t',
      },
      body,
    });
    const answer = await res.text();
    const e = await settled();
    expect(e).toMatchObject({ method: 'PATCH', url: '/services/data/v62.0/composite/sobjects?x=1', body });
    expect(e.headers['sforce-call-options']).toBe('client=t');
    expect(e.response).toMatchObject({ status: 200, body: answer });
    expect(e.response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer)).toEqual([{ id, success: true, errors: [] }]);
  });

  it('records the whole body of a request refused before any route read it', async () => {
    const body = JSON.stringify({ allOrNone: false, records: [] });
    const res = await fetch(`${url}/services/data/v62.0/composite/sobjects`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer expired', 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
    const e = await settled();
    expect(e.body).toBe(body);
    expect(JSON.parse(e.response.body)).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('records a chunked body (no content-length), as jsforce uploads CSV', async () => {
    const csv = 'Id,LeadSource\n003A,Web\n';
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(csv.slice(0, 5)));
        controller.enqueue(new TextEncoder().encode(csv.slice(5)));
        controller.close();
      },
    });
    await fetch(`${url}/services/data/v62.0/jobs/ingest/750000000000001AAA/batches`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const e = await settled();
    expect(e.headers['transfer-encoding']).toBe('chunked');
    expect(e.body).toBe(csv);
  });
});
