import {
  applyLimit,
  bindQuery,
  parseSoql,
  selectRows,
  SoqlError,
  type ResolvedField,
  type SoqlFieldType,
  type SoqlSchema,
} from '../../../../connectors/salesforce/sandbox/soql';

/** A two-object schema written out by hand, so the expectations below do not depend on the sandbox's. */
const FIELDS: Record<string, Record<string, SoqlFieldType>> = {
  Contact: {
    Id: 'id',
    Email: 'string',
    LastName: 'string',
    AccountId: 'reference',
    Score__c: 'number',
    Birthdate: 'date',
    CreatedDate: 'datetime',
    IsDeleted: 'boolean',
  },
  Account: { Id: 'id', Name: 'string' },
};
const schema: SoqlSchema = {
  objectName: (name) => Object.keys(FIELDS).find((o) => o.toLowerCase() === name.toLowerCase()),
  resolveField(object, path): ResolvedField | undefined {
    const find = (o: string, name: string) =>
      Object.keys(FIELDS[o]).find((f) => f.toLowerCase() === name.toLowerCase());
    if (path.length === 1) {
      const name = find(object, path[0]);
      return name ? { path: [name], parents: [], type: FIELDS[object][name] } : undefined;
    }
    if (path.length === 2 && object === 'Contact' && path[0].toLowerCase() === 'account') {
      const name = find('Account', path[1]);
      return name ? { path: ['Account', name], parents: ['Account'], type: FIELDS.Account[name] } : undefined;
    }
    return undefined;
  },
};

type Row = Record<string, unknown> & { Account?: Record<string, unknown> | null };
const rows: Row[] = [
  {
    Id: '003000000000001AAA',
    Email: 'ann@example.com',
    LastName: "O'Brien",
    Score__c: 10,
    Birthdate: '1980-05-01',
    CreatedDate: '2024-01-01T00:00:00.000+0000',
    IsDeleted: false,
    Account: { Name: 'Acme' },
  },
  {
    Id: '003000000000002AAA',
    Email: 'bob@test.org',
    LastName: 'Smith',
    Score__c: 5.5,
    Birthdate: null,
    CreatedDate: '2024-01-02T12:00:00.000+0000',
    IsDeleted: false,
    Account: null,
  },
  {
    Id: '003000000000003AAA',
    Email: null,
    LastName: 'smith',
    Score__c: null,
    Birthdate: '1990-12-31',
    CreatedDate: '2024-03-10T08:30:00.000+0000',
    IsDeleted: true,
    Account: { Name: 'Globex' },
  },
  {
    Id: '003000000000004AAA',
    Email: 'DAN_X@EXAMPLE.COM',
    LastName: 'Zed',
    Score__c: 0,
    Birthdate: '1980-05-01',
    CreatedDate: '2023-12-31T23:00:00.000+0000',
    IsDeleted: false,
    Account: { Name: 'acme' },
  },
];
const read = (row: Row, field: ResolvedField): unknown =>
  field.parents.length === 0 ? row[field.path[0]] : (row.Account?.[field.path[1]] ?? null);

const NOW = Date.parse('2024-03-12T15:00:00Z');
function ids(soql: string): string[] {
  const bound = bindQuery(parseSoql(soql), schema, NOW);
  return applyLimit(bound, selectRows(bound, rows, read)).map((r) => String(r.Id).slice(12, 15));
}
function failure(soql: string): { errorCode: string; message: string } {
  try {
    bindQuery(parseSoql(soql), schema, NOW);
  } catch (error) {
    if (error instanceof SoqlError) return { errorCode: error.errorCode, message: error.message };
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL subset: parsing', () => {
  it('reads field lists with parent lookups, COUNT(), ORDER BY, LIMIT and OFFSET', () => {
    expect(
      parseSoql(
        'select Id, Account.Name from Contact order by LastName desc nulls last, Id limit 5 offset 2',
      ),
    ).toEqual({
      object: 'Contact',
      fields: [['Id'], ['Account', 'Name']],
      orderBy: [
        { field: ['LastName'], descending: true, nullsLast: true },
        { field: ['Id'], descending: false, nullsLast: false },
      ],
      limit: 5,
      offset: 2,
    });
    expect(parseSoql('SELECT count() FROM Contact').fields).toBe('count');
  });

  it('reads the query jsforce builds from a find() with $or, $in and a date literal (NOTES §2.2)', () => {
    const q = parseSoql(
      "SELECT Id, AccountId, Amount, CloseDate FROM Opportunity WHERE (IsWon = true OR StageName IN ('Closed Won')) AND CloseDate >= LAST_N_DAYS:365 AND Amount > 0",
    );
    expect(q.where).toEqual({
      kind: 'and',
      items: [
        {
          kind: 'or',
          items: [
            { kind: 'compare', field: ['IsWon'], op: '=', value: { kind: 'boolean', value: true } },
            {
              kind: 'in',
              field: ['StageName'],
              negated: false,
              values: [{ kind: 'string', value: 'Closed Won' }],
            },
          ],
        },
        {
          kind: 'compare',
          field: ['CloseDate'],
          op: '>=',
          value: { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 365 },
        },
        { kind: 'compare', field: ['Amount'], op: '>', value: { kind: 'number', value: 0 } },
      ],
    });
  });

  it('unescapes quoted strings and reads datetimes with Z or an offset', () => {
    const q = parseSoql(
      "SELECT Id FROM Contact WHERE LastName = 'O\\'Brien \\\\ x' AND CreatedDate > 2024-01-01T10:00:00+02:00",
    );
    expect(q.where).toEqual({
      kind: 'and',
      items: [
        { kind: 'compare', field: ['LastName'], op: '=', value: { kind: 'string', value: "O'Brien \\ x" } },
        {
          kind: 'compare',
          field: ['CreatedDate'],
          op: '>',
          value: { kind: 'datetime', value: '2024-01-01T10:00:00+02:00' },
        },
      ],
    });
  });

  it.each([
    ['SELECT Id FORM Contact', "unexpected token: 'FORM'"],
    ['SELECT Id, FROM Contact', "unexpected token: 'FROM'"],
    ["SELECT Id FROM Contact WHERE Email = 'x", 'unterminated string literal at column 38'],
    ['SELECT Id FROM Contact WHERE', 'unexpected end of query: SELECT Id FROM Contact WHERE'],
    ['SELECT Id, (SELECT Id FROM Cases) FROM Contact', 'subqueries are not supported by the sandbox'],
    ['SELECT COUNT(Id) FROM Contact', 'aggregate COUNT(field) is not supported by the sandbox'],
    ['SELECT Id FROM Contact LIMIT -1', "LIMIT must be a non-negative integer, found: '-1'"],
    ['SELECT Id FROM Contact GROUP BY Email', "unexpected token: 'GROUP'"],
  ])('%s is MALFORMED_QUERY', (soql, message) => {
    expect(failure(soql)).toEqual({ errorCode: 'MALFORMED_QUERY', message });
  });
});

describe('SOQL subset: binding and evaluation (hand-computed)', () => {
  it('answers an unknown column with INVALID_FIELD and an unknown object with INVALID_TYPE (NOTES §3.1)', () => {
    expect(failure('SELECT Idd FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: expect.stringMatching(/^No such column 'Idd' on entity 'Contact'\. If you are attempting/),
    });
    expect(failure('SELECT Id FROM Contact WHERE Owner.Email = null').errorCode).toBe('INVALID_FIELD');
    expect(failure('SELECT Id FROM accountx')).toEqual({
      errorCode: 'INVALID_TYPE',
      message: expect.stringMatching(/^sObject type 'accountx' is not supported\./),
    });
    expect(failure("SELECT Id FROM Contact WHERE Score__c = '5'")).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        "value of filter criterion for field 'Score__c' must be of type double and should not be enclosed in quotes",
    });
  });

  it('compares text case-insensitively and treats != as matching nulls', () => {
    expect(ids("SELECT Id FROM Contact WHERE LastName = 'SMITH'")).toEqual(['002', '003']);
    expect(ids('SELECT Id FROM Contact WHERE Email != null')).toEqual(['001', '002', '004']);
    expect(ids("SELECT Id FROM Contact WHERE Email != 'bob@test.org'")).toEqual(['001', '003', '004']);
    expect(ids('SELECT Id FROM Contact WHERE Score__c < 6')).toEqual(['002', '004']);
    expect(ids('SELECT Id FROM Contact WHERE NOT Score__c < 6')).toEqual(['001', '003']);
  });

  it('evaluates IN, NOT IN, LIKE with % and _ and escaped wildcards', () => {
    expect(ids("SELECT Id FROM Contact WHERE LastName IN ('zed', 'O\\'Brien')")).toEqual(['001', '004']);
    expect(ids("SELECT Id FROM Contact WHERE LastName NOT IN ('smith')")).toEqual(['001', '004']);
    expect(ids("SELECT Id FROM Contact WHERE Email LIKE '%@example.com'")).toEqual(['001', '004']);
    expect(ids("SELECT Id FROM Contact WHERE Email LIKE '_ob@%'")).toEqual(['002']);
    expect(ids("SELECT Id FROM Contact WHERE Email LIKE 'dan\\_x%'")).toEqual(['004']);
    expect(ids("SELECT Id FROM Contact WHERE Email LIKE 'danax%'")).toEqual([]);
  });

  it('follows parent lookups in WHERE and ORDER BY', () => {
    expect(ids("SELECT Id FROM Contact WHERE Account.Name = 'ACME'")).toEqual(['001', '004']);
    expect(ids('SELECT Id FROM Contact ORDER BY Account.Name DESC NULLS LAST')).toEqual([
      '003',
      '001',
      '004',
      '002',
    ]);
  });

  it('compares dates, datetimes with offsets and date literals (now = 2024-03-12T15:00Z)', () => {
    expect(ids('SELECT Id FROM Contact WHERE Birthdate = 1980-05-01')).toEqual(['001', '004']);
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate >= 2024-01-01T00:00:00Z')).toEqual([
      '001',
      '002',
      '003',
    ]);
    // 2024-01-01T01:00+02:00 is 2023-12-31T23:00Z: only contact 4 is at or before it.
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate <= 2024-01-01T01:00:00+02:00')).toEqual(['004']);
    // LAST_N_DAYS:2 = [2024-03-10T00:00Z, 2024-03-13T00:00Z).
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:2')).toEqual(['003']);
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate < LAST_N_DAYS:2')).toEqual(['001', '002', '004']);
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate = TODAY')).toEqual([]);
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate > YESTERDAY')).toEqual([]);
    expect(ids('SELECT Id FROM Contact WHERE Birthdate < TODAY AND IsDeleted = false')).toEqual([
      '001',
      '004',
    ]);
  });

  it('orders by several fields with nulls first by default, then applies OFFSET and LIMIT', () => {
    expect(ids('SELECT Id FROM Contact ORDER BY Score__c')).toEqual(['003', '004', '002', '001']);
    expect(ids('SELECT Id FROM Contact ORDER BY Birthdate DESC, Score__c DESC')).toEqual([
      '002',
      '003',
      '001',
      '004',
    ]);
    expect(ids('SELECT Id FROM Contact ORDER BY Score__c NULLS LAST LIMIT 2 OFFSET 1')).toEqual([
      '002',
      '001',
    ]);
  });

  it('combines AND, OR and parentheses with AND binding tighter', () => {
    expect(
      ids("SELECT Id FROM Contact WHERE LastName = 'zed' OR LastName = 'smith' AND Score__c = 5.5"),
    ).toEqual(['002', '004']);
    expect(
      ids("SELECT Id FROM Contact WHERE (LastName = 'zed' OR LastName = 'smith') AND Score__c = 5.5"),
    ).toEqual(['002']);
  });
});
