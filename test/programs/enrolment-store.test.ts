/**
 * Enrolments as one entry per customer, on both stores: an arm is decided once and never moved, a retried
 * write-back adds nothing, tenants and programs are apart, and the one-JSON-value layout of older deployments
 * is moved into the entries on first read.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantKey } from '../../domain/tenant';
import type { Enrolment } from '../../worker/analytics/programs';
import {
  addEnrolments,
  ProgramStoreCorruptError,
  readEnrolments,
  readProgramRevision,
} from '../../worker/programs';
import { FileRecordStore, RedisRecordStore, StoreError, type RecordStore } from '../../worker/state';
import { testRedis } from '../helpers/test-redis';

const TENANT = 'hubspot-42';
const OTHER = 'hubspot-43';
const MARCH_2 = Date.parse('2026-03-02T00:00:00.000Z');
const MARCH_9 = Date.parse('2026-03-09T00:00:00.000Z');

const enrol = (customerId: string, arm: Enrolment['arm'], enrolledAt = MARCH_2): Enrolment => ({
  customerId,
  arm,
  enrolledAt,
});
const sorted = (list: Enrolment[]) => [...list].sort((a, b) => a.customerId.localeCompare(b.customerId));

type Under = { store: RecordStore; cleanup(): Promise<void>; dir?: string };

const stores: [string, () => Promise<Under>][] = [
  [
    'file store',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'crm-clv-enrolments-'));
      return {
        store: new FileRecordStore(dir),
        dir,
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'Redis store',
    async () => {
      const { redis, prefix, cleanup } = await testRedis();
      return { store: new RedisRecordStore({ redis, prefix }), cleanup };
    },
  ],
];

describe.each(stores)('retention enrolments (%s)', (_name, make) => {
  let u: Under;
  beforeEach(async () => {
    u = await make();
  });
  afterEach(() => u.cleanup());

  it('keeps the first arm and date of a customer enrolled again, and counts only the new ones', async () => {
    expect(
      await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'treatment'), enrol('b', 'control')]),
    ).toBe(2);
    // A retried write-back (same customers, other arms and a later date) and one new customer.
    const again = [
      enrol('a', 'control', MARCH_9),
      enrol('b', 'treatment', MARCH_9),
      enrol('c', 'control', MARCH_9),
    ];
    expect(await addEnrolments(u.store, TENANT, 'winback', again)).toBe(1);
    expect(sorted(await readEnrolments(u.store, TENANT, 'winback'))).toEqual([
      enrol('a', 'treatment'),
      enrol('b', 'control'),
      enrol('c', 'control', MARCH_9),
    ]);
  });

  it('takes the first of one customer named twice in one call', async () => {
    expect(
      await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'control'), enrol('a', 'treatment')]),
    ).toBe(1);
    expect(await readEnrolments(u.store, TENANT, 'winback')).toEqual([enrol('a', 'control')]);
  });

  it('moves the revision when customers were added, not when a retry added none', async () => {
    await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'treatment')]);
    const first = await readProgramRevision(u.store, TENANT);
    expect(first).not.toBe('none');
    await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'treatment')]);
    expect(await readProgramRevision(u.store, TENANT)).toBe(first);
  });

  it('keeps tenants and programs apart', async () => {
    await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'treatment')]);
    await addEnrolments(u.store, TENANT, 'vip', [enrol('a', 'control')]);
    await addEnrolments(u.store, OTHER, 'winback', [enrol('a', 'control', MARCH_9)]);
    expect(await readEnrolments(u.store, TENANT, 'winback')).toEqual([enrol('a', 'treatment')]);
    expect(await readEnrolments(u.store, TENANT, 'vip')).toEqual([enrol('a', 'control')]);
    expect(await readEnrolments(u.store, OTHER, 'winback')).toEqual([enrol('a', 'control', MARCH_9)]);
    expect(await readEnrolments(u.store, OTHER, 'vip')).toEqual([]);
  });

  it('moves the one-JSON-value enrolments of an older deployment on first read, and keeps their arms', async () => {
    // The layout before: the cursor `retention-enrolments:<program>` = { customerId: "t|c" + '|' + ISO time }.
    const legacy = { a: 't|2026-03-02T00:00:00.000Z', b: 'c|2026-03-09T00:00:00.000Z' };
    await u.store.setCursor(TENANT, 'retention-enrolments:winback', JSON.stringify(legacy));
    expect(sorted(await readEnrolments(u.store, TENANT, 'winback'))).toEqual([
      enrol('a', 'treatment'),
      enrol('b', 'control', MARCH_9),
    ]);
    expect(await u.store.getCursor(TENANT, 'retention-enrolments:winback')).toBeUndefined();
    expect(await u.store.readEnrolmentEntries(TENANT, 'winback')).toEqual(
      new Map([
        ['a', `t${MARCH_2.toString(36)}`],
        ['b', `c${MARCH_9.toString(36)}`],
      ]),
    );
    // A migrated customer enrolled again keeps the old arm.
    expect(
      await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'control'), enrol('d', 'treatment')]),
    ).toBe(1);
    expect(sorted(await readEnrolments(u.store, TENANT, 'winback')).map((e) => e.arm)).toEqual([
      'treatment',
      'control',
      'treatment',
    ]);
  });

  it('moves the old value before adding, so an add before any read cannot move an old arm', async () => {
    await u.store.setCursor(
      TENANT,
      'retention-enrolments:winback',
      JSON.stringify({ a: 'c|2026-03-02T00:00:00.000Z' }),
    );
    expect(await addEnrolments(u.store, TENANT, 'winback', [enrol('a', 'treatment', MARCH_9)])).toBe(0);
    expect(await readEnrolments(u.store, TENANT, 'winback')).toEqual([enrol('a', 'control')]);
  });

  it('names the program and customer of a bad old entry, and refuses a bad stored entry', async () => {
    await u.store.setCursor(TENANT, 'retention-enrolments:winback', JSON.stringify({ a: 'x|2026-03-02' }));
    await expect(readEnrolments(u.store, TENANT, 'winback')).rejects.toThrow(
      new ProgramStoreCorruptError(TENANT, "enrolments of 'winback'", 'customer a: bad entry'),
    );
    await u.store.addEnrolmentEntries(TENANT, 'vip', [['b', 'q12']]);
    await expect(readEnrolments(u.store, TENANT, 'vip')).rejects.toThrow(
      "enrolments of 'vip' cannot be read (customer b: bad entry 'q12')",
    );
  });

  it('refuses a program id that could name another key or file', async () => {
    await expect(u.store.readEnrolmentEntries(TENANT, '../cursors')).rejects.toThrow(StoreError);
    await expect(u.store.addEnrolmentEntries(TENANT, 'a:b', [['a', 't1']])).rejects.toThrow(StoreError);
  });
});

describe('file store enrolment file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-clv-enrolment-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends one line per new customer and ignores a last line cut short by a crash', async () => {
    const store = new FileRecordStore(dir);
    await addEnrolments(store, TENANT, 'winback', [enrol('a', 'treatment')]);
    const path = join(dir, tenantKey(TENANT), 'enrolments', 'winback.ndjson');
    const line = `["a","t${MARCH_2.toString(36)}"]\n`;
    expect(await readFile(path, 'utf8')).toBe(line);
    // A crash mid-append leaves a line without its newline: not an enrolment, and cut off by the next append.
    await writeFile(path, `${line}["b","c`, { flag: 'w' });
    expect(await readEnrolments(store, TENANT, 'winback')).toEqual([enrol('a', 'treatment')]);
    await addEnrolments(store, TENANT, 'winback', [enrol('b', 'control')]);
    expect(await readFile(path, 'utf8')).toBe(`${line}["b","c${MARCH_2.toString(36)}"]\n`);
  });
});

describe('Redis store enrolment hash', () => {
  it("is one HASH per program under the tenant's hash tag, a field per customer", async () => {
    const { redis, prefix, cleanup } = await testRedis();
    try {
      const store = new RedisRecordStore({ redis, prefix });
      await addEnrolments(store, 'hubspot-1:x', 'winback', [enrol('a', 'treatment'), enrol('b', 'control')]);
      const key = `${prefix}:{hubspot-1%3ax}:enrolments:winback`;
      expect(await redis.type(key)).toBe('hash');
      expect(await redis.hgetall(key)).toEqual({
        a: `t${MARCH_2.toString(36)}`,
        b: `c${MARCH_2.toString(36)}`,
      });
    } finally {
      await cleanup();
    }
  });
});
