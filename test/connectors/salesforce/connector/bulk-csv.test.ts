/**
 * The connector's CSV for Bulk API 2.0 (RFC 4180), with hand-written cases: parsing quoted fields, embedded
 * line breaks, doubled quotes, CRLF, empty cells; query result rows as SOQL-shaped records (types, nulls,
 * dotted parent fields); the ingest CSV of contact updates (#N/A for a cleared field, empty for unchanged);
 * sf__Error as a failure reason.
 */
import { CsvFormatError, csvObjects, formatCsv, parseCsv } from '../../../../connectors/salesforce/bulk/csv';
import { cellValue, csvRecords } from '../../../../connectors/salesforce/bulk/csv-records';
import { bulkErrorReason, updateCsv } from '../../../../connectors/salesforce/writeback/write-bulk';

describe('parseCsv', () => {
  it.each([
    [
      'plain rows with a trailing LF',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no trailing line break',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF line endings',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'empty cells, also at the row ends',
      'a,b,c\n,x,\n',
      [
        ['a', 'b', 'c'],
        ['', 'x', ''],
      ],
    ],
    ['a quoted comma', '"Smith, Jo",1\n', [['Smith, Jo', '1']]],
    ['doubled quotes', '"say ""hi""",""""\n', [['say "hi"', '"']]],
    ['an LF inside quotes', '"line 1\nline 2",x\n', [['line 1\nline 2', 'x']]],
    ['a CRLF inside quotes', '"a\r\nb",x\r\n', [['a\r\nb', 'x']]],
    ['a quoted empty value', '"",x\n', [['', 'x']]],
    ['a lone quoted empty last field', 'x,""', [['x', '']]],
    ['a single empty row', '\n', [['']]],
    ['nothing', '', []],
    ['a CR not followed by LF stays in the value', 'a\rb,c\n', [['a\rb', 'c']]],
    ['spaces kept', ' a , b \n', [[' a ', ' b ']]],
  ])('%s', (_name, text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });

  it.each([
    ['an unclosed quote', '"abc\n'],
    ['text after a closing quote', '"abc"d,1\n'],
    ['a quote inside an unquoted field', 'ab"c,1\n'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseCsv(text)).toThrow(CsvFormatError);
  });

  it('reads back what formatCsv writes', () => {
    const rows = [
      ['Id', 'Text'],
      ['1', 'a, "b"\nc'],
      ['2', ''],
      ['3', ' edge '],
    ];
    expect(formatCsv(rows)).toBe('Id,Text\n1,"a, ""b""\nc"\n2,\n3," edge "\n');
    expect(parseCsv(formatCsv(rows))).toEqual(rows);
  });

  it('csvObjects keys rows by the header', () => {
    expect(csvObjects('"sf__Id","sf__Error",Id\n"003A","FIELD_X:bad:--","003A"\n')).toEqual([
      { sf__Id: '003A', sf__Error: 'FIELD_X:bad:--', Id: '003A' },
    ]);
    expect(csvObjects('')).toEqual([]);
  });
});

describe('csvRecords: Bulk query rows as SOQL records', () => {
  it('types numbers, booleans and dateTimes, keeps dates as text, turns empty cells into null', () => {
    const [header, ...rows] = parseCsv(
      'Id,Amount,IsWon,CloseDate,SystemModstamp,StageName,Type\n' +
        '006A,1234.5,true,2024-01-05,2024-01-05T10:00:00.000Z,"Closed Won",\n' +
        '006B,,false,,,Prospecting,New\n',
    );
    expect(csvRecords(header, rows)).toEqual([
      {
        Id: '006A',
        Amount: 1234.5,
        IsWon: true,
        CloseDate: '2024-01-05',
        SystemModstamp: '2024-01-05T10:00:00.000+0000',
        StageName: 'Closed Won',
        Type: null,
      },
      {
        Id: '006B',
        Amount: null,
        IsWon: false,
        CloseDate: null,
        SystemModstamp: null,
        StageName: 'Prospecting',
        Type: 'New',
      },
    ]);
  });

  it('nests dotted parent fields, and a parent with only empty fields is null', () => {
    const [header, ...rows] = parseCsv('Id,Account.Name,Account.Owner.Name\n003A,Acme,Jo\n003B,,\n');
    expect(csvRecords(header, rows)).toEqual([
      { Id: '003A', Account: { Name: 'Acme', Owner: { Name: 'Jo' } } },
      { Id: '003B', Account: null },
    ]);
  });

  it('leaves a value that does not parse as text for the mapper to reject', () => {
    expect(cellValue('number', 'abc')).toBe('abc');
    expect(cellValue('boolean', 'yes')).toBe('yes');
    expect(cellValue('datetime', 'soon')).toBe('soon');
    expect(cellValue('number', '-0.5')).toBe(-0.5);
  });
});

describe('the ingest CSV of contact updates', () => {
  it('has the same columns on every row: empty leaves a field unchanged, #N/A clears it', () => {
    const csv = updateCsv([
      { id: '003A', texts: {}, fields: { CLV_Segment__c: 'Champions, "VIP"', CLV_Historic__c: 12.5 } },
      { id: '003B', texts: {}, fields: { CLV_Segment__c: null, CLV_Model_Version__c: 'v2' } },
    ]);
    expect(csv).toBe(
      'Id,CLV_Segment__c,CLV_Historic__c,CLV_Model_Version__c\n' +
        '003A,"Champions, ""VIP""",12.5,\n' +
        '003B,#N/A,,v2\n',
    );
  });

  it('words sf__Error as the Collections path does', () => {
    expect(bulkErrorReason('FIELD_CUSTOM_VALIDATION_EXCEPTION:CLV must be >= 0:CLV_Historic__c --')).toBe(
      'FIELD_CUSTOM_VALIDATION_EXCEPTION: CLV must be >= 0',
    );
    expect(bulkErrorReason('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--')).toBe(
      'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access',
    );
    expect(bulkErrorReason('')).toBe('UNKNOWN: Salesforce reported no reason');
  });
});
