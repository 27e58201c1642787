/**
 * Matching on hand-made references: a request equal to a capture matches it; one aspect off fails with a diff
 * naming the aspect and the capture; documented extras come from Postman; Postman is the reference only where no
 * capture has the endpoint; answers are judged against documented examples.
 */
import { bodyShape, requestShape, responseShape, type RawRequest } from './request-shape';
import { postmanRef } from './reference-traffic';
import {
  matchRequest,
  responseProblems,
  uncovered,
  type CaptureRef,
  type ResponseExample,
} from './shape-match';

const query = (url: string, headers: Record<string, string> = {}): RawRequest => ({
  method: 'GET',
  url,
  headers: { authorization: 'Bearer T', accept: '*/*', ...headers },
  body: '',
});

const captures: CaptureRef[] = [
  {
    source: 'capture #1',
    shape: requestShape(query('/services/data/v62.0/query?q=SELECT%20Id%20FROM%20Contact')),
  },
  {
    source: 'capture #2',
    shape: requestShape(query('/services/data/v62.0/query?q=x', { 'sforce-call-options': 'client=crm-ext' })),
  },
  {
    source: 'capture #3',
    shape: requestShape(query('/services/data/v62.0/jobs/query/750A/results', { accept: 'text/csv' })),
  },
];
const postman = [
  postmanRef('postman query/get_job_query_result.json', {
    method: 'GET',
    url: '{{_endpoint}}/services/data/v{{version}}/jobs/query/{{_jobId}}/results',
    queryParams: [{ key: 'locator' }, { key: 'maxRecords' }],
  }),
  postmanRef('postman rest/sobject_create.json', {
    method: 'POST',
    url: '{{_endpoint}}/services/data/v{{version}}/sobjects/<SOBJECT_API_NAME>',
    headerData: [{ key: 'Content-Type', value: 'application/json' }],
    dataMode: 'raw',
    rawModeData: '{\n"Name":"test"\n}\n',
  }),
  postmanRef('postman auth/jwt_bearer_token_flow.json', {
    method: 'POST',
    url: '{{url}}{{site}}/services/oauth2/token',
    headerData: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    auth: { type: 'noauth' },
    dataMode: 'urlencoded',
    data: [
      { key: 'grant_type', value: 'urn:ietf:params:oauth:grant-type:jwt-bearer' },
      { key: 'assertion', value: '' },
    ],
  }),
];

describe('matchRequest', () => {
  it('matches a capture with the same shape (other SOQL, version and token)', () => {
    const verdict = matchRequest(
      requestShape(
        query('/services/data/v59.0/query?q=SELECT%20Name%20FROM%20Account', {
          authorization: 'Bearer other',
        }),
      ),
      captures,
      postman,
    );
    expect(verdict).toEqual({ ok: true, source: 'capture #1', via: 'capture' });
  });

  it('fails a different Accept with a diff naming the aspect and the capture', () => {
    const verdict = matchRequest(
      requestShape(query('/services/data/v62.0/query?q=x', { accept: 'application/json' })),
      captures,
      postman,
    );
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problem).toContain('accept: sent application/json');
    expect(!verdict.ok && verdict.problem).toContain('capture #1 has */*');
  });

  it('takes Sforce-Call-Options on any request in a captured form, and refuses another form', () => {
    const tagged = matchRequest(
      requestShape(
        query('/services/data/v62.0/jobs/query/750B/results', {
          accept: 'text/csv',
          'sforce-call-options': 'client=crm-clv',
        }),
      ),
      captures,
      postman,
    );
    expect(tagged).toMatchObject({ ok: true, source: 'capture #3' });
    const odd = matchRequest(
      requestShape(query('/services/data/v62.0/query?q=x', { 'sforce-call-options': 'crm-clv' })),
      captures,
      postman,
    );
    expect(!odd.ok && odd.problem).toMatch(/sforce-call-options: sent crm-clv=\{crm-clv\}/);
  });

  it('lets a captured call add query parameters its Postman request documents, and names that source', () => {
    const paged = matchRequest(
      requestShape(
        query('/services/data/v62.0/jobs/query/750B/results?locator=MTAw&maxRecords=50', {
          accept: 'text/csv',
        }),
      ),
      captures,
      postman,
    );
    expect(paged).toEqual({
      ok: true,
      source: 'capture #3',
      via: 'capture',
      documentedQuery: {
        names: ['locator', 'maxRecords'],
        source: 'postman query/get_job_query_result.json',
      },
    });
    const unknown = matchRequest(
      requestShape(query('/services/data/v62.0/jobs/query/750B/results?pageSize=50', { accept: 'text/csv' })),
      captures,
      postman,
    );
    expect(!unknown.ok && unknown.problem).toContain('pageSize not documented in Postman');
    const missing = matchRequest(requestShape(query('/services/data/v62.0/query')), captures, postman);
    expect(!missing.ok && missing.problem).toContain('query: sent none');
  });

  it('uses the Postman request only where no capture has the endpoint, as a template', () => {
    const create: RawRequest = {
      method: 'POST',
      url: '/services/data/v62.0/sobjects/PermissionSetAssignment',
      headers: { authorization: 'Bearer T', 'content-type': 'application/json', accept: '*/*' },
      body: '{"AssigneeId":"005A","PermissionSetId":"0PSA"}',
    };
    expect(matchRequest(requestShape(create), captures, postman)).toEqual({
      ok: true,
      source: 'postman rest/sobject_create.json',
      via: 'postman',
    });
    const asForm = matchRequest(
      requestShape({
        ...create,
        headers: { ...create.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      }),
      captures,
      postman,
    );
    expect(!asForm.ok && asForm.problem).toContain('content-type: sent application/x-www-form-urlencoded');

    const token = (body: string): RawRequest => ({
      method: 'POST',
      url: '/services/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' },
      body,
    });
    const jwt = 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=H.P.S';
    expect(matchRequest(requestShape(token(jwt)), captures, postman)).toMatchObject({
      ok: true,
      via: 'postman',
    });
    const withClient = matchRequest(requestShape(token(`${jwt}&client_id=CID`)), captures, postman);
    expect(!withClient.ok && withClient.problem).toContain(
      'form fields client_id not in postman auth/jwt_bearer_token_flow.json',
    );
  });

  it('says when neither reference has the call', () => {
    const verdict = matchRequest(
      requestShape(query('/services/data/v62.0/limits/recordCount')),
      captures,
      postman,
    );
    expect(verdict).toEqual({
      ok: false,
      problem:
        'GET /services/data/v{version}/limits/recordCount: neither the captures nor the Postman collection have this call',
    });
  });
});

describe('uncovered and responseProblems', () => {
  const json = (text: string) => bodyShape('application/json', text);

  it('needs every documented key with its type; extra keys are fine; null in an example is any value', () => {
    expect(
      uncovered(json('{"id":"a","success":true}'), json('{"id":"b","success":false,"warnings":[]}')),
    ).toEqual([]);
    expect(uncovered(json('{"id":"a","success":true}'), json('{"id":"b"}'))).toEqual(['$.success: missing']);
    expect(uncovered(json('{"n":1}'), json('{"n":"1"}'))).toEqual(['$.n: expected number, got string']);
    expect(uncovered(json('{"k":null}'), json('{"k":"x"}'))).toEqual([]);
  });

  it('needs every item of an answer array to fit one documented item', () => {
    const documented = json(
      '[{"id":"a","success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"X","message":"m","fields":[]}]}]',
    );
    expect(
      uncovered(
        documented,
        json(
          '[{"id":"b","success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"Y","message":"n","fields":["F"]}]}]',
        ),
      ),
    ).toEqual([]);
    expect(uncovered(documented, json('[{"success":false,"errors":[{"code":"Y"}]}]')).length).toBeGreaterThan(
      0,
    );
  });

  it('judges status, media type, headers and body against the examples of that status', () => {
    const examples: ResponseExample[] = [
      {
        endpoint: 'GET /q',
        status: 200,
        contentType: 'application/json',
        headers: ['sforce-limit-info'],
        body: json('{"done":true,"records":[]}'),
        note: 'NOTES §2.1',
      },
    ];
    const answer = (status: number, headers: Record<string, string>, body: string) =>
      responseShape({ status, headers, body });
    const ok = answer(
      200,
      { 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': 'api-usage=1/15000' },
      '{"done":true,"records":[],"totalSize":0}',
    );
    expect(responseProblems('GET /q', ok, examples)).toEqual([]);
    expect(responseProblems('GET /other', ok, examples)).toBeUndefined();
    expect(responseProblems('GET /q', answer(500, {}, ''), examples)).toEqual([
      'status 500; documented: 200',
    ]);
    expect(
      responseProblems(
        'GET /q',
        answer(200, { 'content-type': 'text/html' }, '{"done":"yes","records":[]}'),
        examples,
      ),
    ).toEqual([
      'content-type text/html, NOTES §2.1 has application/json',
      'header sforce-limit-info missing (NOTES §2.1)',
      '$: expected {done:boolean,records:[]}, got text (NOTES §2.1)',
    ]);
  });

  it('XML: documented children are found among the answer’s, attributes included', () => {
    const xml = (text: string) => bodyShape('text/xml', text);
    const documented = xml(
      '<Envelope><Body><upsertMetadataResponse><result><created/><fullName/><success/></result></upsertMetadataResponse></Body></Envelope>',
    );
    expect(
      uncovered(
        documented,
        xml(
          '<E:Envelope><E:Body><upsertMetadataResponse><result><created>true</created><errors/><fullName>x</fullName><success>true</success></result></upsertMetadataResponse></E:Body></E:Envelope>',
        ),
      ),
    ).toEqual([]);
    expect(
      uncovered(
        documented,
        xml(
          '<Envelope><Body><upsertMetadataResponse><result><fullName>x</fullName></result></upsertMetadataResponse></Body></Envelope>',
        ),
      ),
    ).toEqual([
      '$.Envelope.Body.upsertMetadataResponse.result.created: missing',
      '$.Envelope.Body.upsertMetadataResponse.result.success: missing',
    ]);
  });
});
