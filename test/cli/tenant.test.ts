/**
 * `crm-clv tenant add|list|remove` through the built CLI: the file registry under --data-dir, and the Redis
 * registry when REDIS_URL is set. The token must appear nowhere but as ciphertext: not in stdout, not in
 * stderr, not in the registry file, not in Redis.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { parseTokenKey } from '../../connectors/hubspot/oauth';
import { FileTenantRegistry, RedisTenantRegistry } from '../../worker/tenants';
import { runCliAsync, tempDir, type CliRun } from '../helpers/run-cli';
import { deleteKeys, listKeys, testRedis } from '../helpers/test-redis';

const KEY = randomBytes(32).toString('base64');
const TOKEN = `pat-na1-${randomBytes(16).toString('hex')}`;
const OTHER_TOKEN = `pat-na1-${randomBytes(16).toString('hex')}`;

/** The file registry: no REDIS_URL (jest's setup sets one for the Redis tests), no stray token. */
const FILE_ENV = {
  CRM_CLV_TOKEN_KEY: KEY,
  REDIS_URL: '',
  HUBSPOT_ACCESS_TOKEN: '',
  CRM_CLV_REDIS_PREFIX: '',
};

const secretsIn = (text: string) =>
  [TOKEN, OTHER_TOKEN, KEY, Buffer.from(TOKEN).toString('base64')].filter((s) => text.includes(s));

describe('crm-clv tenant (file registry)', () => {
  let dataDir: string;
  const runs: CliRun[] = [];
  const tenant = async (args: string[], env: Record<string, string> = {}) => {
    const run = await runCliAsync(['tenant', ...args, '--data-dir', dataDir], { ...FILE_ENV, ...env });
    runs.push(run);
    return run;
  };
  beforeAll(() => {
    dataDir = tempDir('tenant-cli');
  });
  afterAll(async () => {
    // Whatever each test did, no run printed a secret.
    for (const run of runs) expect(secretsIn(run.stdout + run.stderr)).toEqual([]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores owner tasks on with --owner-tasks, off without it (the default, and on a re-add)', async () => {
    const add = (extra: string[]) =>
      tenant(['add', '--crm', 'hubspot', '--portal-id', '3000', ...extra], { HUBSPOT_ACCESS_TOKEN: TOKEN });
    const owned = (list: CliRun) =>
      (JSON.parse(list.stdout) as { tenant: string; ownerTasks?: unknown }[]).find(
        (t) => t.tenant === 'hubspot-3000',
      )?.ownerTasks;
    const on = await add(['--owner-tasks']);
    expect(on.status).toBe(0);
    expect(on.stdout).toContain('; owner tasks on.');
    expect(owned(await tenant(['list', '--json']))).toEqual({ enabled: true });
    const off = await add([]);
    expect(off.stdout).toContain('; owner tasks off.');
    expect(owned(await tenant(['list', '--json']))).toBeUndefined();
    expect((await tenant(['remove', '--tenant', 'hubspot-3000'])).status).toBe(0);
  });

  it("sets a tenant's acquisition spend from a checked CSV, keeps it over a re-add, lists it and clears it", async () => {
    const add = () =>
      tenant(['add', '--crm', 'hubspot', '--portal-id', '4000'], { HUBSPOT_ACCESS_TOKEN: TOKEN });
    expect((await add()).status).toBe(0);
    const spendOf = async () =>
      (
        JSON.parse((await tenant(['list', '--json'])).stdout) as {
          tenant: string;
          acquisitionSpend?: unknown;
        }[]
      ).find((t) => t.tenant === 'hubspot-4000')?.acquisitionSpend;

    // Every bad line named by number and field, and nothing stored.
    const bad = join(dataDir, 'bad-spend.csv');
    writeFileSync(
      bad,
      'channel,month,spend\nPAID_SEARCH,2026-3,100\nEMAIL,2026-03,-5\nPAID_SEARCH,2026-04,x\n',
    );
    const refused = await tenant(['spend', '--tenant', 'hubspot-4000', '--file', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('line 2: month: month must be written YYYY-MM');
    expect(refused.stderr).toContain('line 3: spend: spend must not be negative');
    expect(refused.stderr).toContain('line 4: spend: spend must be a number');
    expect(await spendOf()).toBeUndefined();

    const good = join(dataDir, 'spend.csv');
    writeFileSync(
      good,
      'channel,month,spend\nPAID_SEARCH,2026-03,1250.00\nPAID_SEARCH,2026-04,900\nEMAIL,2026-03,300\n',
    );
    const set = await tenant(['spend', '--tenant', 'hubspot-4000', '--file', good]);
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toContain(
      'Set the acquisition spend of hubspot-4000: 3 rows, 2 channels, 2026-03 to 2026-04.',
    );
    const rows = [
      { channel: 'PAID_SEARCH', month: '2026-03', spend: 1250 },
      { channel: 'PAID_SEARCH', month: '2026-04', spend: 900 },
      { channel: 'EMAIL', month: '2026-03', spend: 300 },
    ];
    expect(await spendOf()).toEqual(rows);
    // A re-add replaces the connection, not the spend; the token is still the one sealed.
    expect((await add()).status).toBe(0);
    expect(await spendOf()).toEqual(rows);
    const table = (await tenant(['list'])).stdout.split('\n').find((l) => l.startsWith('hubspot-4000'));
    expect(table).toContain('3 rows, 2 channels, 2026-03 to 2026-04');
    expect(await new FileTenantRegistry({ dataDir, key: parseTokenKey(KEY) }).secret('hubspot-4000')).toBe(
      TOKEN,
    );

    expect((await tenant(['spend', '--tenant', 'hubspot-4000'])).stderr).toContain(
      'give either --file spend.csv or --clear',
    );
    const unknown = await tenant(['spend', '--tenant', 'hubspot-4001', '--file', good]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("No tenant 'hubspot-4001' is registered");
    const cleared = await tenant(['spend', '--tenant', 'hubspot-4000', '--clear']);
    expect(cleared.stdout).toContain('Cleared the acquisition spend of hubspot-4000.');
    expect(await spendOf()).toBeUndefined();
    expect((await tenant(['remove', '--tenant', 'hubspot-4000'])).status).toBe(0);
  });

  it('adds tenants, lists them without the token, and removes them', async () => {
    const added = await tenant(
      [
        'add',
        '--crm',
        'hubspot',
        '--portal-id',
        '1000',
        '--base-url',
        'http://127.0.0.1:4010',
        '--tier',
        'starter',
      ],
      { HUBSPOT_ACCESS_TOKEN: TOKEN },
    );
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(
      /^Added tenant hubspot-1000: HubSpot portal 1000 at http:\/\/127\.0\.0\.1:4010/,
    );
    expect(added.stdout).toContain(join(dataDir, 'tenants.json'));

    const oauth = await tenant([
      'add',
      '--crm',
      'hubspot',
      '--portal-id',
      '2000',
      '--auth',
      'oauth',
      '--sync-every-minutes',
      '30',
      '--rescore-cron',
      '0 4 * * MON-FRI',
      '--retrain-cron',
      '0 5 * * 6',
    ]);
    expect(oauth.status).toBe(0);
    expect(oauth.stdout).toContain('Added tenant hubspot-2000');

    const list = await tenant(['list']);
    expect(list.status).toBe(0);
    const [header, first, second, footer] = list.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'tenant',
      'crm',
      'account',
      'base URL',
      'auth',
      'schedule (UTC)',
      'spend',
      'added',
    ]);
    expect(first.split(/\s{2,}/)).toEqual([
      'hubspot-1000',
      'hubspot',
      '1000',
      'http://127.0.0.1:4010',
      'token (starter)',
      "sync every 15 min, rescore '0 2 * * *', retrain '0 3 * * 0'",
      'none',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    ]);
    expect(second.split(/\s{2,}/).slice(0, 6)).toEqual([
      'hubspot-2000',
      'hubspot',
      '2000',
      '(default)',
      'oauth',
      "sync every 30 min, rescore '0 4 * * MON-FRI', retrain '0 5 * * 6'",
    ]);
    expect(footer).toBe(`2 tenants in ${join(dataDir, 'tenants.json')}.`);

    const json = await tenant(['list', '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        tenant: 'hubspot-1000',
        crm: 'hubspot',
        accountId: '1000',
        baseUrl: 'http://127.0.0.1:4010',
        auth: 'token',
        tier: 'starter',
        schedule: { syncEveryMinutes: 15, rescoreCron: '0 2 * * *', retrainCron: '0 3 * * 0' },
        addedAt: expect.any(String),
      },
      {
        tenant: 'hubspot-2000',
        crm: 'hubspot',
        accountId: '2000',
        auth: 'oauth',
        schedule: { syncEveryMinutes: 30, rescoreCron: '0 4 * * MON-FRI', retrainCron: '0 5 * * 6' },
        addedAt: expect.any(String),
      },
    ]);

    // The file holds the token as ciphertext only, owner-only; the registry opens it with the key.
    const path = join(dataDir, 'tenants.json');
    expect(secretsIn(readFileSync(path, 'utf8'))).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const registry = new FileTenantRegistry({ dataDir, key: parseTokenKey(KEY) });
    expect(await registry.secret('hubspot-1000')).toBe(TOKEN);

    const removed = await tenant(['remove', '--tenant', 'hubspot-2000']);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^Removed tenant hubspot-2000 from /);
    const again = await tenant(['remove', '--tenant', 'hubspot-2000']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/no tenant 'hubspot-2000' is registered/);
    expect((await registry.list()).map((t) => t.tenant)).toEqual(['hubspot-1000']);
  });

  it('takes --token over HUBSPOT_ACCESS_TOKEN, and keeps addedAt when a tenant is added again', async () => {
    const first = await tenant(['add', '--crm', 'hubspot', '--portal-id', '3000', '--token', OTHER_TOKEN]);
    expect(first.status).toBe(0);
    const registry = new FileTenantRegistry({ dataDir, key: parseTokenKey(KEY) });
    const addedAt = (await registry.get('hubspot-3000'))?.addedAt;
    const second = await tenant(['add', '--crm', 'hubspot', '--portal-id', '3000', '--token', TOKEN], {
      HUBSPOT_ACCESS_TOKEN: OTHER_TOKEN,
    });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^Updated tenant hubspot-3000/);
    expect(await registry.secret('hubspot-3000')).toBe(TOKEN);
    expect((await registry.get('hubspot-3000'))?.addedAt).toBe(addedAt);
    expect(secretsIn(readFileSync(join(dataDir, 'tenants.json'), 'utf8'))).toEqual([]);
  });

  it('registers a Salesforce org with its access token sealed, from SALESFORCE_ACCESS_TOKEN', async () => {
    const added = await tenant(
      [
        'add',
        '--crm',
        'salesforce',
        '--org-id',
        '00D000000000001AAA',
        '--instance-url',
        'http://127.0.0.1:4020',
        '--currency',
        'EUR',
        '--bulk-threshold',
        '50000',
      ],
      { SALESFORCE_ACCESS_TOKEN: TOKEN },
    );
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(
      /^Added tenant salesforce-00D000000000001AAA: Salesforce org 00D000000000001AAA at http:\/\/127\.0\.0\.1:4020, access token;/,
    );
    const registry = new FileTenantRegistry({ dataDir, key: parseTokenKey(KEY) });
    expect(await registry.get('salesforce-00D000000000001AAA')).toMatchObject({
      crm: 'salesforce',
      accountId: '00D000000000001AAA',
      baseUrl: 'http://127.0.0.1:4020',
      auth: 'token',
      currency: 'EUR',
      bulkThreshold: 50000,
    });
    expect(JSON.parse(await registry.secret('salesforce-00D000000000001AAA'))).toEqual({
      kind: 'access-token',
      accessToken: TOKEN,
    });
    expect(secretsIn(readFileSync(join(dataDir, 'tenants.json'), 'utf8'))).toEqual([]);
    const refused = await tenant(
      ['add', '--crm', 'salesforce', '--org-id', '00D000000000001AAA', '--auth', 'refresh'],
      { SALESFORCE_CLIENT_ID: 'app', SALESFORCE_CLIENT_SECRET: 's', SALESFORCE_REFRESH_TOKEN: '' },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/no refresh token: set SALESFORCE_REFRESH_TOKEN/);
    expect((await tenant(['remove', '--tenant', 'salesforce-00D000000000001AAA'])).status).toBe(0);
  });

  it('lists an empty registry in words', async () => {
    const empty = tempDir('tenant-cli-empty');
    try {
      const run = await runCliAsync(['tenant', 'list', '--data-dir', empty], FILE_ENV);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^No tenants registered in .*tenants\.json\. Add one: crm-clv tenant add/);
      const json = await runCliAsync(['tenant', 'list', '--json', '--data-dir', empty], FILE_ENV);
      expect(JSON.parse(json.stdout)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'a base URL with credentials',
      ['--base-url', 'http://admin:s3cret-pw@127.0.0.1:4010', '--token', TOKEN],
      {},
      /--base-url: the base URL must not carry credentials/,
    ],
    ['no token at all', [], {}, /no token: set HUBSPOT_ACCESS_TOKEN or pass --token/],
    ['--token with --auth oauth', ['--auth', 'oauth', '--token', TOKEN], {}, /exclude each other/],
    [
      'a portal id that is not digits',
      ['--portal-id', 'abc', '--token', TOKEN],
      {},
      /--portal-id: must be digits/,
    ],
    ['a bad cron pattern', ['--token', TOKEN, '--retrain-cron', '0 3 * *'], {}, /--retrain-cron: .*5 fields/],
    ['a bad interval', ['--token', TOKEN, '--sync-every-minutes', '0'], {}, /--sync-every-minutes: must be/],
    ['no CRM_CLV_TOKEN_KEY', ['--token', TOKEN], { CRM_CLV_TOKEN_KEY: '' }, /CRM_CLV_TOKEN_KEY is not set/],
    [
      'salesforce without an org id',
      ['--crm', 'salesforce', '--token', TOKEN],
      {},
      /--org-id: is required for Salesforce/,
    ],
    [
      'an unknown CRM',
      ['--crm', 'pipedrive', '--token', TOKEN],
      {},
      /--crm: must be 'hubspot' or 'salesforce'/,
    ],
  ])('refuses %s (exit 2), writing nothing', async (_, args, env, message) => {
    const fresh = tempDir('tenant-cli-refused');
    try {
      const all = ['tenant', 'add', '--crm', 'hubspot', '--portal-id', '9', ...args, '--data-dir', fresh];
      // A repeated option: commander keeps the last one, so '--crm salesforce' and '--portal-id abc' win.
      const run = await runCliAsync(all, { ...FILE_ENV, ...env });
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(secretsIn(run.stdout + run.stderr)).toEqual([]);
      expect(run.stderr).not.toContain('s3cret-pw');
      expect(existsSync(join(fresh, 'tenants.json'))).toBe(false);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

describe('crm-clv tenant (Redis registry, REDIS_URL set)', () => {
  it('adds, lists and removes tenants in <prefix>:tenants, the token only as ciphertext', async () => {
    const test = await testRedis();
    const prefix = `${test.prefix}-cli`;
    const dataDir = tempDir('tenant-cli-redis');
    const env = {
      CRM_CLV_TOKEN_KEY: KEY,
      REDIS_URL: process.env.REDIS_URL ?? '',
      CRM_CLV_REDIS_PREFIX: prefix,
      HUBSPOT_ACCESS_TOKEN: TOKEN,
    };
    const tenant = (args: string[], extra: Record<string, string> = {}) =>
      runCliAsync(['tenant', ...args, '--data-dir', dataDir], { ...env, ...extra });
    try {
      const added = await tenant(['add', '--crm', 'hubspot', '--portal-id', '4242']);
      expect(added.stderr).toBe('');
      expect(added.status).toBe(0);
      expect(added.stdout).toContain(`(key ${prefix}:tenants)`);
      // The worker's schedules follow the registry at once, on the queues of the same prefix.
      expect(added.stdout).toContain(
        `Schedules (queue {${prefix}}:schedule): 3 added, 0 updated, 0 removed, 0 unchanged.`,
      );
      const schedules = new Queue('schedule', { connection: test.redis, prefix: `{${prefix}}` });
      const scheduled = async () => (await schedules.getJobSchedulers()).map((s) => s.key).sort();
      expect(await scheduled()).toEqual([
        'hubspot-4242.rescore',
        'hubspot-4242.retrain',
        'hubspot-4242.sync',
      ]);
      // --redis-prefix wins over CRM_CLV_REDIS_PREFIX.
      const elsewhere = await tenant([
        'add',
        '--crm',
        'hubspot',
        '--portal-id',
        '5',
        '--redis-prefix',
        `${prefix}-b`,
      ]);
      expect(elsewhere.status).toBe(0);

      const list = await tenant(['list']);
      expect(list.status).toBe(0);
      expect(list.stdout).toMatch(
        /^hubspot-4242\s+hubspot\s+4242\s+\(default\)\s+token\s+sync every 15 min/m,
      );
      expect(list.stdout).not.toContain('hubspot-5');
      expect(list.stdout).toContain(`1 tenant in ${process.env.REDIS_URL}`);

      // Nothing went to the file registry; Redis holds one HASH with the token sealed.
      expect(existsSync(join(dataDir, 'tenants.json'))).toBe(false);
      expect(await listKeys(test.redis, `${prefix}:*`)).toEqual([`${prefix}:tenants`]);
      const stored = JSON.stringify(await test.redis.hgetall(`${prefix}:tenants`));
      expect(stored).toContain('aes-256-gcm');
      expect(secretsIn(stored)).toEqual([]);
      const registry = new RedisTenantRegistry({ redis: test.redis, prefix, key: parseTokenKey(KEY) });
      expect(await registry.secret('hubspot-4242')).toBe(TOKEN);

      const removed = await tenant(['remove', '--tenant', 'hubspot-4242']);
      expect(removed.status).toBe(0);
      expect(removed.stdout).toContain('3 removed');
      expect(await scheduled()).toEqual([]);
      await schedules.close();
      expect(await listKeys(test.redis, `${prefix}:*`)).toEqual([]);
      for (const run of [added, elsewhere, list, removed])
        expect(secretsIn(run.stdout + run.stderr)).toEqual([]);
    } finally {
      await deleteKeys(test.redis, `${prefix}*`);
      await deleteKeys(test.redis, `{${prefix}*`);
      await test.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails fast with a clear message when REDIS_URL does not answer', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 1;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await runCliAsync(['tenant', 'list'], {
      ...FILE_ENV,
      REDIS_URL: `redis://user:redis-pw@127.0.0.1:${port}`,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^crm-clv: Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(REDIS_URL\\) cannot be reached`,
      ),
    );
    expect(run.stderr).toContain('unset REDIS_URL to use the file registry');
    expect(run.stderr).not.toContain('redis-pw');
  });
});
