/**
 * The shape normaliser on hand-made requests and answers (written here, not produced by the code): what it
 * keeps (methods, resource paths, parameter names, header kinds, keys and types, element names) and what it
 * takes out (ids, versions, values, an org's field names).
 */
import {
  csvRows,
  headerShape,
  pathTemplate,
  requestShape,
  responseShape,
  shapeText,
  bodyShape,
} from './request-shape';

describe('pathTemplate', () => {
  it.each([
    ['/services/data/v62.0/query', '/services/data/v{version}/query'],
    ['/services/data/v59.0/query/01gRO0000016PIAYA2-500', '/services/data/v{version}/query/{locator}'],
    ['/services/data/v62.0/queryAll', '/services/data/v{version}/queryAll'],
    [
      '/services/data/v62.0/sobjects/Contact/describe',
      '/services/data/v{version}/sobjects/{sobject}/describe',
    ],
    ['/services/data/v62.0/sobjects/Task', '/services/data/v{version}/sobjects/{sobject}'],
    [
      '/services/data/v62.0/sobjects/Contact/003000000000000001AAA',
      '/services/data/v{version}/sobjects/{sobject}/{id}',
    ],
    ['/services/data/v62.0/sobjects/Contact/updated', '/services/data/v{version}/sobjects/{sobject}/updated'],
    ['/services/data/v62.0/composite/sobjects', '/services/data/v{version}/composite/sobjects'],
    [
      '/services/data/v62.0/composite/sobjects/Contact',
      '/services/data/v{version}/composite/sobjects/{sobject}',
    ],
    ['/services/data/v62.0/jobs/query/750R00000000035AAA', '/services/data/v{version}/jobs/query/{jobId}'],
    [
      '/services/data/v62.0/jobs/query/750R00000000035AAA/results',
      '/services/data/v{version}/jobs/query/{jobId}/results',
    ],
    [
      '/services/data/v62.0/jobs/ingest/750R00000000040BBB/batches',
      '/services/data/v{version}/jobs/ingest/{jobId}/batches',
    ],
    ['/services/Soap/m/62.0', '/services/Soap/m/{version}'],
    ['/id/00D000000000001AAA/005000000000001AAA', '/id/{orgId}/{userId}'],
    ['/services/oauth2/token', '/services/oauth2/token'],
    ['/services/data/v62.0', '/services/data/v{version}'],
    // Postman's placeholders land on the same templates.
    ['/services/data/v%7B%7Bversion%7D%7D/query/', '/services/data/v{version}/query'],
    [
      '/services/data/v%7B%7Bversion%7D%7D/sobjects/%3CSOBJECT_API_NAME%3E',
      '/services/data/v{version}/sobjects/{sobject}',
    ],
  ])('%s → %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });
});

describe('headerShape', () => {
  it('keeps the Authorization scheme, the media type and charset, Accept, and the Sforce-Call-Options names', () => {
    expect(
      headerShape({
        Authorization: 'Bearer 00D!AQ.secret',
        'Content-Type': 'application/json; charset=UTF-8',
        accept: '*/*',
        'Sforce-Call-Options': 'client=crm-clv',
      }),
    ).toEqual({
      authorization: 'Bearer',
      contentType: 'application/json;charset=utf-8',
      accept: '*/*',
      callOptions: 'client={client}',
    });
    expect(headerShape({ authorization: 'OAuth TOKEN_OK' }).authorization).toBe('OAuth');
    expect(headerShape({})).toEqual({
      authorization: 'none',
      contentType: 'none',
      accept: 'none',
      callOptions: 'none',
    });
    expect(headerShape({ 'sforce-call-options': 'client=a, defaultNamespace=b' }).callOptions).toBe(
      'client={client},defaultNamespace={defaultNamespace}',
    );
  });
});

describe('body shapes', () => {
  it('an sObject Collections update: its records’ fields become one <field> of any value type', () => {
    // NOTES §2.3's captured body, by hand.
    const body =
      '{"allOrNone":false,"records":[{"id":"003000000000000001AAA","attributes":{"type":"Contact"},"Segment__c":"Champions","CLV__c":1234.5},' +
      '{"id":"003000000000000002AAA","attributes":{"type":"Contact"},"CLV__c":null}]}';
    expect(shapeText(bodyShape('application/json', body))).toBe(
      '{allOrNone:boolean,records:[{<field>:value,attributes:{type:string},id:string}]}',
    );
  });

  it('tells a record without attributes from a plain object only when told it is one', () => {
    expect(
      shapeText(bodyShape('application/json', '{"AssigneeId":"005A","PermissionSetId":"0PSA"}', true)),
    ).toBe('{<field>:value}');
    expect(shapeText(bodyShape('application/json', '{"state":"UploadComplete"}'))).toBe('{state:string}');
  });

  it('keeps nested relationship records and array item types apart', () => {
    const page =
      '{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Contact","url":"/x"},"Id":"003A","Account":{"attributes":{"type":"Account","url":"/y"},"Name":"Acme"}},' +
      '{"attributes":{"type":"Contact","url":"/x"},"Id":"003B","Account":null}]}';
    // The first record's fields hold a value and a parent record; the second's (Account null) values only.
    const attributes = 'attributes:{type:string,url:string}';
    const withParent = `{<field>:{<field>:value,${attributes}}|value,${attributes}}`;
    const flat = `{<field>:value,${attributes}}`;
    expect(shapeText(bodyShape('application/json;charset=UTF-8', page))).toBe(
      `{done:boolean,records:[${withParent}|${flat}],totalSize:number}`,
    );
    expect(shapeText(bodyShape('application/json', '[1,"a",2,null]'))).toBe('[null|number|string]');
    expect(shapeText(bodyShape('application/json', '[]'))).toBe('[]');
  });

  it('a form keeps its field names and the grant type', () => {
    expect(
      shapeText(
        bodyShape(
          'application/x-www-form-urlencoded',
          'grant_type=refresh_token&refresh_token=RT&client_id=CID&client_secret=S',
        ),
      ),
    ).toBe('form{client_id,client_secret,grant_type=refresh_token,refresh_token}');
  });

  it('a CSV is its header row: Id and sf__ columns kept, fields merged; a ragged row is flagged', () => {
    // NOTES §2.6's captured upload: a quoted cell holding a comma and doubled quotes.
    const upload =
      'Id,CLV__c,Segment__c\n003000000000000001,12.5,"Champions, ""VIP"""\n003000000000000002,0,#N/A\n';
    expect(csvRows(upload)[1]).toEqual(['003000000000000001', '12.5', 'Champions, "VIP"']);
    expect(shapeText(bodyShape('text/csv', upload))).toBe('csv(Id,<field>)');
    expect(shapeText(bodyShape('text/csv', '"sf__Id","sf__Error",Id,Email\r\nA,E,A,x\r\n'))).toBe(
      'csv(sf__Id,sf__Error,Id,<field>)',
    );
    expect(shapeText(bodyShape('text/csv', 'Id,Email\nA,x,extra\n'))).toBe('csv(Id,<field>) ragged');
  });

  it('SOAP: element names without prefixes and values, repeated siblings once, a component’s content elided', () => {
    const upsert =
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>T</sessionId></SessionHeader></soapenv:Header>' +
      '<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><upsertMetadata>' +
      '<metadata xsi:type="CustomField"><fullName>Contact.CLV__c</fullName><type>Number</type></metadata>' +
      '<metadata xsi:type="CustomField"><fullName>Contact.Segment__c</fullName><valueSet><restricted>true</restricted></valueSet></metadata>' +
      '</upsertMetadata></soapenv:Body></soapenv:Envelope>';
    expect(shapeText(bodyShape('text/xml', upsert))).toBe(
      'Envelope(Header(SessionHeader(sessionId)),Body(upsertMetadata(metadata@xsi:type{…})))',
    );
    const read =
      '<Envelope><Body><readMetadata><type>CustomField</type><fullNames>A</fullNames><fullNames>B</fullNames></readMetadata></Body></Envelope>';
    expect(shapeText(bodyShape('text/xml; charset=utf-8', read))).toBe(
      'Envelope(Body(readMetadata(type,fullNames)))',
    );
    expect(shapeText(bodyShape('text/xml', '<a><b/><!-- c --><![CDATA[<d>]]></a>'))).toBe('a(b)');
  });

  it('an empty body is none, whatever its type; an unknown type is text', () => {
    expect(bodyShape('application/json', '').kind).toBe('none');
    expect(bodyShape('text/plain', 'hello').kind).toBe('text');
    expect(bodyShape('application/json', '{not json').kind).toBe('text');
  });
});

describe('requestShape and responseShape', () => {
  it('a captured single-record update', () => {
    expect(
      requestShape({
        method: 'patch',
        url: '/services/data/v62.0/sobjects/Contact/003000000000000001AAA',
        headers: { 'content-type': 'application/json', authorization: 'Bearer T', accept: '*/*' },
        body: '{"Segment__c":"At Risk"}',
      }),
    ).toEqual({
      method: 'PATCH',
      path: '/services/data/v{version}/sobjects/{sobject}/{id}',
      query: [],
      headers: {
        authorization: 'Bearer',
        contentType: 'application/json',
        accept: '*/*',
        callOptions: 'none',
      },
      body: { kind: 'object', keys: { '<field>': { kind: 'scalar', type: 'value' } } },
    });
  });

  it('query parameter names, each once, sorted', () => {
    const shape = requestShape({
      method: 'GET',
      url: '/services/data/v62.0/jobs/query/750A/results?maxRecords=100&locator=MTAw&locator=x',
      headers: {},
      body: '',
    });
    expect(shape.query).toEqual(['locator', 'maxRecords']);
  });

  it('an answer: status, media type, the headers the NOTES name, the body', () => {
    expect(
      responseShape({
        status: 200,
        headers: {
          'content-type': 'text/csv',
          'sforce-locator': 'null',
          'sforce-numberofrecords': '1',
          'x-other': '1',
        },
        body: 'Id\nA\n',
      }),
    ).toEqual({
      status: 200,
      contentType: 'text/csv',
      headers: ['sforce-locator', 'sforce-numberofrecords'],
      body: { kind: 'csv', columns: ['Id'], ragged: false },
    });
  });
});
