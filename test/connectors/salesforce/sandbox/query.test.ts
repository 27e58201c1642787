import { startHarness, rejection, type Harness } from './sandbox-harness';

describe('Salesforce sandbox: queries through jsforce', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ contacts: 2500 });
  });
  afterAll(async () => {
    await h.server.close();
  });

  it('pages a 2,500-row query at 2,000 and autoFetch returns every record', async () => {
    const first = await h.conn.query('SELECT Id, Email FROM Contact');
    expect(first.totalSize).toBe(2500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-2000$/);
    const second = await h.conn.queryMore(first.nextRecordsUrl!);
    expect(second.done).toBe(true);
    expect(second.records).toHaveLength(500);
    const all = await h.conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 100_000 });
    expect(all.records).toHaveLength(2500);
    expect(new Set(all.records.map((r) => r.Id)).size).toBe(2500);
  });

  it('honours Sforce-Query-Options batchSize and returns records with attributes', async () => {
    const res = await h.conn.query(
      'SELECT Id, Account.Name, Owner.Email FROM Contact ORDER BY Id LIMIT 450',
      {
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      } as never,
    );
    expect(res.totalSize).toBe(450);
    expect(res.records).toHaveLength(200);
    const r = res.records[0] as Record<string, unknown> & { attributes: { type: string; url: string } };
    expect(r.attributes).toEqual({ type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${r.Id}` });
    expect(r.Id).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(r.Account).toEqual({
      attributes: {
        type: 'Account',
        url: expect.stringMatching(/^\/services\/data\/v62\.0\/sobjects\/Account\/001/),
      },
      Name: expect.stringMatching(/ Household$/),
    });
    expect((r.Owner as { Email: string }).Email).toMatch(/@sandbox\.example\.com$/);
  });

  it('counts with COUNT() and filters with the find() builder of jsforce', async () => {
    const total = await h.conn.sobject('Contact').count({ Email: { $like: '%@example.com' } });
    expect(total).toBe(2500);
    const won = await h.conn
      .sobject('Opportunity')
      .find({ IsWon: true, Amount: { $gt: 0 } }, ['Id', 'StageName'])
      .execute({ autoFetch: true, maxFetch: 100_000 });
    expect(won.length).toBeGreaterThan(0);
    expect(won.every((o) => o.StageName === 'Closed Won')).toBe(true);
  });

  it('hides deleted rows from query and shows them in queryAll with IsDeleted = true', async () => {
    const { records } = await h.conn.query<{ Id: string }>('SELECT Id FROM Case ORDER BY Id LIMIT 2');
    await h.conn.sobject('Case').destroy(records[0].Id);
    const live = await h.conn.query(`SELECT Id FROM Case WHERE Id = '${records[0].Id}'`);
    expect(live.totalSize).toBe(0);
    const all = await h.conn.query(`SELECT Id, IsDeleted FROM Case WHERE Id = '${records[0].Id}'`, {
      scanAll: true,
    });
    expect(all.records).toEqual([expect.objectContaining({ Id: records[0].Id, IsDeleted: true })]);
  });

  it('answers bad SOQL with Salesforce error codes (NOTES §3.1)', async () => {
    const malformed = await rejection(() => h.conn.query('SELECT Id FROM Contact WHERE'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const field = await rejection(() => h.conn.query('SELECT Idd FROM Contact'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toMatch(/^No such column 'Idd' on entity 'Contact'/);
    const type = await rejection(() => h.conn.query('SELECT Id FROM accountx'));
    expect(type.errorCode).toBe('INVALID_TYPE');
  });
});
