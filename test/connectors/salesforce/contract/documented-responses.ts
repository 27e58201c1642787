/**
 * The answers jsforce 3.10.16 was given for the captured requests and accepted, as NOTES.md records them (the
 * capture file holds the requests only; NOTES §2–§3 and §7 give the responses its recording server returned,
 * modelled on Salesforce's documentation, with the source of each). Copied by hand from the NOTES text, one
 * example per documented outcome; the shapes are compared, never the values. `null` in an example stands for a
 * value Salesforce may leave null.
 */
import { bodyShape } from './request-shape';
import type { ResponseExample } from './shape-match';

type Example = Omit<ResponseExample, 'body'> & { body: string };

const JSON_TYPE = 'application/json';
const REST = ['sforce-limit-info']; // NOTES §3.4: on every REST response (jsforce parses it)

const describeField = {
  name: 'Email',
  label: 'Email',
  type: 'email',
  soapType: 'xsd:string',
  length: 80,
  precision: 0,
  scale: 0,
  digits: 0,
  nillable: true,
  createable: true,
  updateable: true,
  filterable: true,
  sortable: true,
  groupable: true,
  custom: false,
  calculated: false,
  calculatedFormula: null,
  defaultedOnCreate: false,
  externalId: false,
  unique: false,
  idLookup: true,
  nameField: false,
  picklistValues: [{ label: 'Web', value: 'Web', defaultValue: false, active: true, validFor: null }],
  restrictedPicklist: false,
  referenceTo: ['Account'],
  relationshipName: null,
};

const EXAMPLES: Example[] = [
  {
    endpoint: 'POST /services/oauth2/token',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §1.2, §7.1',
    body: '{"access_token":"…","signature":"…","scope":"refresh_token api","instance_url":"http://127.0.0.1:PORT","id":"http://127.0.0.1:PORT/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer","issued_at":"1700000000000"}',
  },
  {
    endpoint: 'POST /services/oauth2/token',
    status: 400,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §1.2',
    body: '{"error":"invalid_grant","error_description":"expired access/refresh token"}',
  },
  ...['query', 'queryAll', 'query/{locator}'].flatMap((resource): Example[] => [
    {
      endpoint: `GET /services/data/v{version}/${resource}`,
      status: 200,
      contentType: JSON_TYPE,
      headers: REST,
      note: 'NOTES §2.1',
      body: '{ "totalSize": 3222, "done": false, "nextRecordsUrl": "/services/data/v62.0/query/01gRO0000016PIAYA2-500", "records": [ { "attributes": { "type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003RO0000035WQgYAM" }, "Id": "003RO0000035WQgYAM", "Name": "John Smith" } ] }',
    },
    {
      endpoint: `GET /services/data/v{version}/${resource}`,
      status: 200,
      contentType: JSON_TYPE,
      headers: REST,
      note: 'NOTES §2.2 (last page)',
      body: '{"totalSize":3,"done":true,"records":[]}',
    },
  ]),
  {
    endpoint: 'GET /services/data/v{version}/sobjects/{sobject}/describe',
    status: 200,
    contentType: JSON_TYPE,
    headers: REST,
    note: 'NOTES §2.4',
    body: JSON.stringify({
      name: 'Contact',
      label: 'Contact',
      labelPlural: 'Contacts',
      keyPrefix: null,
      custom: false,
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      retrieveable: true,
      searchable: true,
      fields: [describeField],
      childRelationships: [],
      recordTypeInfos: [],
      urls: {},
    }),
  },
  {
    endpoint: 'GET /services/data/v{version}',
    status: 200,
    contentType: JSON_TYPE,
    headers: REST,
    note: 'NOTES §2.4 (identity() reads the "identity" URL)',
    body: '{"identity":"http://127.0.0.1:PORT/id/00D000000000001AAA/005000000000001AAA"}',
  },
  {
    endpoint: 'PATCH /services/data/v{version}/composite/sobjects',
    status: 200,
    contentType: JSON_TYPE,
    headers: REST,
    note: 'NOTES §2.3',
    body: '[ {"id":"003000000000000001AAA","success":true,"errors":[]}, {"success":false,"errors":[{"statusCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"CLV must be >= 0","fields":["CLV__c"]}]} ]',
  },
  {
    // create([...]) is captured in NOTES §2.3 without its answer; Salesforce documents the same SaveResult
    // array in request order as for an update (REST API Developer Guide, "Create Multiple Records",
    // resources_composite_sobjects_collections_create.htm).
    endpoint: 'POST /services/data/v{version}/composite/sobjects',
    status: 200,
    contentType: JSON_TYPE,
    headers: REST,
    note: 'NOTES §2.3 (create); sandbox NOTES-list-views-campaigns.md §3 (DUPLICATE_VALUE)',
    body: '[ {"id":"00v000000000001AAA","success":true,"errors":[]}, {"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"Already a campaign member.","fields":[]}]} ]',
  },
  {
    endpoint: 'POST /services/data/v{version}/sobjects/{sobject}',
    status: 201,
    contentType: JSON_TYPE,
    headers: REST,
    note: 'NOTES §7.4',
    body: '{"id":"0Pa000000000001AAA","success":true,"errors":[]}',
  },
  {
    endpoint: 'POST /services/data/v{version}/jobs/query',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §2.5',
    body: '{"id":"750R00000000035AAA","operation":"query","object":"Contact","createdById":"005000000000001AAA","createdDate":"2022-01-02T17:38:59.000+0000","systemModstamp":"2022-01-02T17:38:59.000+0000","state":"UploadComplete","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":58.0,"lineEnding":"LF","columnDelimiter":"COMMA"}',
  },
  {
    endpoint: 'GET /services/data/v{version}/jobs/query/{jobId}',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §2.5',
    body: '{"id":"750R00000000035AAA","state":"JobComplete","numberRecordsProcessed":3}',
  },
  {
    endpoint: 'GET /services/data/v{version}/jobs/query/{jobId}/results',
    status: 200,
    contentType: 'text/csv',
    headers: ['sforce-locator', 'sforce-numberofrecords'],
    note: 'NOTES §2.5',
    body: 'Id,Email\n003000000000000001,a@example.com\n',
  },
  {
    endpoint: 'POST /services/data/v{version}/jobs/ingest',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §2.6',
    body: '{"id":"750R00000000040BBB","operation":"update","object":"Contact","state":"Open","contentUrl":"services/data/v62.0/jobs/ingest/750R00000000040BBB/batches"}',
  },
  {
    endpoint: 'PUT /services/data/v{version}/jobs/ingest/{jobId}/batches',
    status: 201,
    contentType: 'none',
    headers: [],
    note: 'NOTES §2.6 (201, empty body)',
    body: '',
  },
  {
    endpoint: 'PATCH /services/data/v{version}/jobs/ingest/{jobId}',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §2.6 (job info)',
    body: '{"id":"750R00000000040BBB","state":"UploadComplete"}',
  },
  {
    endpoint: 'GET /services/data/v{version}/jobs/ingest/{jobId}',
    status: 200,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §2.6',
    body: '{"id":"750R00000000040BBB","state":"JobComplete","numberRecordsProcessed":3,"numberRecordsFailed":1}',
  },
  {
    endpoint: 'GET /services/data/v{version}/jobs/ingest/{jobId}/successfulResults',
    status: 200,
    contentType: 'text/csv',
    headers: [],
    note: 'NOTES §2.6',
    body: '"sf__Id","sf__Created",Id,CLV__c,Segment__c\n003000000000000001,false,003000000000000001,12.5,Champions\n',
  },
  {
    endpoint: 'GET /services/data/v{version}/jobs/ingest/{jobId}/failedResults',
    status: 200,
    contentType: 'text/csv',
    headers: [],
    note: 'NOTES §2.6',
    body: '"sf__Id","sf__Error",Id,CLV__c,Segment__c\n003000000000000002,FIELD_CUSTOM_VALIDATION_EXCEPTION:CLV must be >= 0:CLV__c --,003000000000000002,-1,\n',
  },
  {
    endpoint: 'POST /services/Soap/m/{version}',
    status: 200,
    contentType: 'text/xml',
    headers: [],
    note: 'NOTES §2.7 (upsert)',
    body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><upsertMetadataResponse><result><created>true</created><fullName>Contact.CLV__c</fullName><success>true</success></result></upsertMetadataResponse></soapenv:Body></soapenv:Envelope>',
  },
  {
    endpoint: 'POST /services/Soap/m/{version}',
    status: 200,
    contentType: 'text/xml',
    headers: [],
    note: 'NOTES §2.7 (read)',
    body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><readMetadataResponse><result><records xsi:type="CustomField"><fullName>Contact.CLV__c</fullName><label>CLV</label><type>Number</type><precision>18</precision><scale>2</scale></records></result></readMetadataResponse></soapenv:Body></soapenv:Envelope>',
  },
  {
    endpoint: 'POST /services/Soap/m/{version}',
    status: 500,
    contentType: 'text/xml',
    headers: [],
    note: 'NOTES §2.7 (expired session)',
    body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  },
];

/** Every REST resource answers errors as an array of {message, errorCode} (NOTES §3.1). */
const REST_ERRORS: Omit<Example, 'endpoint'>[] = [
  {
    status: 401,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §1.2, §7.2',
    body: '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
  },
  {
    status: 403,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §3.1',
    body: '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]',
  },
  {
    status: 400,
    contentType: JSON_TYPE,
    headers: [],
    note: 'NOTES §3.1',
    body: '[{"message":"sObject type \'accountx\' is not supported.","errorCode":"INVALID_TYPE"}]',
  },
];

const asExample = (e: Example): ResponseExample => ({ ...e, body: bodyShape(e.contentType, e.body) });

/** The documented examples for an endpoint (`METHOD path-template`), REST errors included. */
export function documentedResponses(endpoint: string): ResponseExample[] {
  const own = EXAMPLES.filter((e) => e.endpoint === endpoint).map(asExample);
  if (own.length === 0) return [];
  const rest = endpoint.split(' ')[1].startsWith('/services/data/')
    ? REST_ERRORS.map((e) => asExample({ ...e, endpoint }))
    : [];
  return [...own, ...rest];
}
