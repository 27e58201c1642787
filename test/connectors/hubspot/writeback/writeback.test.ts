import type { WantedValues, WrittenValues } from '../../../../connectors/hubspot/changed-values';
import {
  ensureClvProperties,
  readWrittenValues,
  writeChangedValues,
  type WriteChangedValuesResult,
} from '../../../../connectors/hubspot/writeback';
import { CLV_PROPERTY_NAMES } from '../../../../connectors/hubspot/property-contract';
import {
  RETRY,
  SEGMENTS,
  scoresFor,
  startWritebackHarness,
  type WritebackHarness,
} from './writeback-harness';

const PROPERTY_CREATE = '/crm/v3/properties/contacts';

function allScores(h: WritebackHarness, segments = SEGMENTS): Map<string, WantedValues> {
  return new Map(h.contactIds().map((id, i) => [id, scoresFor(i, segments)]));
}

/** Every last-written value is what the sandbox holds for the contact. */
function expectStoreHolds(h: WritebackHarness, lastWritten: Map<string, WrittenValues>): void {
  const mismatches: string[] = [];
  for (const [id, values] of lastWritten) {
    const stored = h.sandbox.store.objects.contacts.byId.get(id)?.properties ?? {};
    for (const [name, value] of Object.entries(values))
      if ((stored[name] ?? '') !== value) mismatches.push(`${id}.${name}: ${stored[name]} ≠ ${value}`);
  }
  expect(mismatches).toEqual([]);
}

describe('ensureClvProperties against the sandbox', () => {
  let h: WritebackHarness;
  beforeAll(async () => {
    h = await startWritebackHarness(300);
  });
  afterAll(() => h.close());

  it('creates the group and the 17 properties once; a second run creates nothing (409 → read)', async () => {
    const first = await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
    expect(first.groupCreated).toBe(true);
    expect(first.created).toEqual(CLV_PROPERTY_NAMES);
    expect(first.existing).toEqual([]);
    expect(h.sandbox.store.groups.contacts.get('clv')).toMatchObject({ label: 'Customer lifetime value' });
    expect(
      h.sandbox.store.properties.contacts
        .get('clv_segment')
        ?.options.map((o) => o.value)
        .sort(),
    ).toEqual(SEGMENTS.map((s) => s.id).sort());

    const before = h.requests.length;
    const second = await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
    const during = h.requests.slice(before);
    expect(second).toMatchObject({ groupCreated: false, created: [], optionsAdded: {} });
    expect(second.existing).toEqual(CLV_PROPERTY_NAMES);
    const creates = during.filter((r) => r.method === 'POST' && r.path.startsWith(PROPERTY_CREATE));
    expect(creates).toHaveLength(18); // the group and 17 properties, each answered 409
    expect(creates.every((r) => r.status === 409)).toBe(true);
    expect(during.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(second.definitions.map((d) => d.name).sort()).toEqual(
      ['clv_churn_risk', 'clv_interest', 'clv_retention_group', 'clv_rfm_segment', 'clv_segment'].sort(),
    );
  });

  it('adds options for new segments to the existing property, then values using them are written', async () => {
    const segments = [...SEGMENTS, { id: 'seg-vip', name: 'VIP' }];
    const before = h.requests.length;
    const result = await ensureClvProperties(h.connection, { segments, retry: RETRY });
    expect(result.created).toEqual([]);
    expect(result.optionsAdded).toEqual({ clv_segment: ['seg-vip'] });
    const patches = h.requests.slice(before).filter((r) => r.method === 'PATCH');
    expect(patches).toEqual([{ method: 'PATCH', path: `${PROPERTY_CREATE}/clv_segment`, status: 200 }]);
    const options = h.sandbox.store.properties.contacts.get('clv_segment')?.options ?? [];
    expect(options.map((o) => o.value)).toEqual(['seg-loyal', 'seg-new', 'seg-lapsing', 'seg-vip']);
    expect(options.find((o) => o.value === 'seg-vip')).toMatchObject({ label: 'VIP', displayOrder: 3 });

    const id = h.contactIds()[0];
    const lastWritten = new Map<string, WrittenValues>();
    const write = await writeChangedValues(h.connection, {
      updates: new Map([[id, { ...scoresFor(0), clv_segment: 'seg-vip' }]]),
      lastWritten,
      definitions: result.definitions,
      retry: RETRY,
    });
    expect(write).toMatchObject({ contactsChanged: 1, contactsWritten: 1, writeCalls: 1, failed: [] });
    expect(h.sandbox.store.objects.contacts.byId.get(id)?.properties.clv_segment).toBe('seg-vip');
  });

  it('reports a value without an option instead of sending it (it would fail its whole batch)', async () => {
    const ensured = await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
    const [a, b] = h.contactIds();
    const result = await writeChangedValues(h.connection, {
      updates: new Map([
        [a, { ...scoresFor(1), clv_segment: 'seg-unknown' }],
        [b, scoresFor(2)],
      ]),
      lastWritten: new Map(),
      definitions: ensured.definitions,
      retry: RETRY,
    });
    expect(result.failed).toEqual([{ id: a, reason: expect.stringContaining("'seg-unknown'") }]);
    expect(result).toMatchObject({ contactsChanged: 2, contactsWritten: 1, writeCalls: 1 });
  });
});

describe('writeChangedValues against the sandbox', () => {
  let h: WritebackHarness;
  beforeEach(async () => {
    h = await startWritebackHarness(300);
    await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
  });
  afterEach(() => h.close());

  it('writes every contact, then only the 5 changed ones in exactly 1 call; unchanged contacts cost nothing', async () => {
    const lastWritten = new Map<string, WrittenValues>();
    const scores = allScores(h);
    const progress: number[] = [];
    const first = await writeChangedValues(h.connection, {
      updates: scores,
      lastWritten,
      retry: RETRY,
      onProgress: (p) => progress.push(p.batchesDone),
    });
    expect(first).toMatchObject({
      contactsChanged: 300,
      contactsWritten: 300,
      writeCalls: 3,
      retriedInputs: 0,
      failed: [],
      rateLimitWaits: 0,
    });
    expect(progress).toEqual([1, 2, 3]);
    expect(lastWritten.size).toBe(300);
    expectStoreHolds(h, lastWritten);

    const ids = h.contactIds();
    const changed = [3, 50, 101, 199, 288].map((i) => ids[i]);
    for (const id of changed) {
      const previous = scores.get(id) ?? {};
      scores.set(id, { ...previous, clv_predicted_12m: Number(previous.clv_predicted_12m) + 10 });
    }
    // Model noise below the written precision is not a change.
    const noisy = ids[7];
    scores.set(noisy, { ...scores.get(noisy), clv_p_alive: Number(scores.get(noisy)?.clv_p_alive) + 1e-7 });

    const requestsBefore = h.updateRequests.length;
    const second = await writeChangedValues(h.connection, { updates: scores, lastWritten, retry: RETRY });
    expect(second).toMatchObject({ contactsChanged: 5, contactsWritten: 5, writeCalls: 1, failed: [] });
    expect(h.updateRequests.slice(requestsBefore)).toEqual([{ inputs: 5, status: 200 }]);
    expectStoreHolds(h, lastWritten);

    const third = await writeChangedValues(h.connection, { updates: scores, lastWritten, retry: RETRY });
    expect(third).toMatchObject({ contactsChanged: 0, writeCalls: 0 });
    expect(h.updateRequests).toHaveLength(requestsBefore + 1);
  });

  it('a 207 with 3 failed inputs resends exactly those 3; every value ends up written', async () => {
    const ids = h.contactIds();
    const failing = [ids[10], ids[150], ids[299]];
    h.sandbox.faults.partialFailureIds = new Set(failing);
    const lastWritten = new Map<string, WrittenValues>();
    const result = await writeChangedValues(h.connection, {
      updates: allScores(h),
      lastWritten,
      retry: RETRY,
      // The fault lasts for the first pass only: clear it once its last batch has answered.
      onProgress: (p) => {
        if (p.round === 0 && p.batchesDone === p.batchesInRound) h.sandbox.faults.partialFailureIds.clear();
      },
    });
    expect(result).toMatchObject({
      contactsChanged: 300,
      contactsWritten: 300,
      retriedInputs: 3,
      writeCalls: 4,
      failed: [],
    });
    expect(h.updateRequests.map((r) => [r.status, r.inputs])).toEqual([
      [207, 99],
      [207, 99],
      [207, 99],
      [200, 3],
    ]);
    expect([...h.confirmed.values()].every((n) => n === 1)).toBe(true);
    expect(h.confirmed.size).toBe(300);
    expect(lastWritten.size).toBe(300);
    expectStoreHolds(h, lastWritten);
  });

  it('reports permanent failures with id and reason and does not retry them; lastWritten skips them', async () => {
    const ids = h.contactIds().slice(0, 20);
    const updates = new Map(ids.map((id, i) => [id, scoresFor(i)] as const));
    updates.set('99999999', scoresFor(1));
    h.sandbox.faults.partialFailureIds = new Set([ids[4]]); // stays: retriable but never succeeds
    const lastWritten = new Map<string, WrittenValues>();
    const result = await writeChangedValues(h.connection, {
      updates,
      lastWritten,
      retry: RETRY,
      maxRetryRounds: 2,
    });
    expect(result.failed).toEqual([
      { id: '99999999', reason: expect.stringContaining('OBJECT_NOT_FOUND') },
      { id: ids[4], reason: expect.stringContaining('still failing after 2 retries') },
    ]);
    expect(result).toMatchObject({
      contactsChanged: 21,
      contactsWritten: 19,
      retriedInputs: 2,
      writeCalls: 3,
    });
    expect(lastWritten.has('99999999')).toBe(false);
    expect(lastWritten.has(ids[4])).toBe(false);
    expect(lastWritten.size).toBe(19);
  });

  it('a 429 storm ends with every value written exactly once and no duplicate writes', async () => {
    h.sandbox.faults.rateLimitStorm = 6;
    const lastWritten = new Map<string, WrittenValues>();
    const start = h.clock.now();
    const result = await writeChangedValues(h.connection, {
      updates: allScores(h),
      lastWritten,
      retry: RETRY,
    });
    expect(result).toMatchObject({
      contactsChanged: 300,
      contactsWritten: 300,
      retriedInputs: 0,
      failed: [],
      rateLimitWaits: 6,
      writeCalls: 3 + 6,
    });
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(10_000); // waited out at least one window (fake time)
    const answered = h.updateRequests.filter((r) => r.status === 200);
    expect(answered.reduce((n, r) => n + r.inputs, 0)).toBe(300);
    expect(h.updateRequests.filter((r) => r.status === 429)).toHaveLength(6);
    expect(h.confirmed.size).toBe(300);
    expect([...h.confirmed.values()].every((n) => n === 1)).toBe(true);
    expect(lastWritten.size).toBe(300);
    expectStoreHolds(h, lastWritten);
  });
});

describe('writeChangedValues when the daily limit runs out', () => {
  it('stops, reports the reset time and every unwritten contact; lastWritten holds only the written ones', async () => {
    // 18 calls for ensure (group + 17 properties), then room for exactly one batch update.
    const h = await startWritebackHarness(300, { rateLimit: { perTenSeconds: 110, daily: 19 } });
    try {
      await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
      const lastWritten = new Map<string, WrittenValues>();
      const result = await writeChangedValues(h.connection, {
        updates: allScores(h),
        lastWritten,
        retry: RETRY,
        concurrency: 1,
      });
      expect(result.stopped).toMatchObject({
        code: 'HUBSPOT_DAILY_LIMIT',
        resetAt: '2026-11-21T00:00:00.000Z',
      });
      expect(result).toMatchObject({ contactsChanged: 300, contactsWritten: 100, writeCalls: 2 });
      expect(result.failed).toHaveLength(200);
      expect(result.failed.filter((f) => f.reason.startsWith('not sent:'))).toHaveLength(100);
      expect(lastWritten.size).toBe(100);
      expectStoreHolds(h, lastWritten);
    } finally {
      await h.close();
    }
  });
});

describe('writeChangedValues when HubSpot refuses a whole batch over an option that does not exist', () => {
  let h: WritebackHarness;
  beforeEach(async () => {
    h = await startWritebackHarness(300);
    await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
  });
  afterEach(() => h.close());

  /** 100 contacts; 3 carry a clv_segment option the property does not have (no definitions: no pre-check). */
  function arrange(): {
    ids: string[];
    bad: Map<string, string>;
    updates: Map<string, WantedValues>;
    snapshot: () => string[];
  } {
    const ids = h.contactIds().slice(0, 100);
    const bad = new Map([
      [ids[5], 'seg-bogus'],
      [ids[50], 'seg-gone'],
      [ids[99], 'seg-bogus'],
    ]);
    const updates = new Map(
      ids.map((id, i) => {
        const value = bad.get(id);
        return [id, value === undefined ? scoresFor(i) : { ...scoresFor(i), clv_segment: value }] as const;
      }),
    );
    // Every stored contact outside the 97 that should be written, as JSON (properties and timestamps).
    const snapshot = (): string[] =>
      h
        .contactIds()
        .filter((id) => !updates.has(id) || bad.has(id))
        .map((id) => JSON.stringify(h.sandbox.store.objects.contacts.byId.get(id)));
    return { ids, bad, updates, snapshot };
  }

  function expectBadReported(result: WriteChangedValuesResult, bad: Map<string, string>): void {
    expect(result.failed.map((f) => f.id).sort()).toEqual([...bad.keys()].sort());
    for (const failure of result.failed) {
      expect(failure.reason).toContain(`clv_segment value '${bad.get(failure.id)}'`);
      expect(failure.reason).toContain('INVALID_OPTION');
    }
  }

  it('reports the 3 inputs the 400 names by value, writes the other 97 in one more call', async () => {
    const { ids, bad, updates, snapshot } = arrange();
    const before = snapshot();
    const lastWritten = new Map<string, WrittenValues>();
    const confirmedBatches: string[][] = [];
    const result = await writeChangedValues(h.connection, {
      updates,
      lastWritten,
      retry: RETRY,
      onConfirmed: async (confirmed) => {
        confirmedBatches.push(Object.keys(confirmed));
      },
    });
    expect(result).toMatchObject({
      contactsChanged: 100,
      contactsWritten: 97,
      writeCalls: 2,
      retriedInputs: 0,
    });
    expectBadReported(result, bad);
    expect(h.updateRequests.map((r) => [r.status, r.inputs])).toEqual([
      [400, 0],
      [200, 97],
    ]);
    expect(confirmedBatches.map((b) => b.length)).toEqual([97]);
    expect(lastWritten.size).toBe(97);
    for (const id of bad.keys()) expect(lastWritten.has(id)).toBe(false);
    expectStoreHolds(h, lastWritten);
    expect(snapshot()).toEqual(before); // the 3 and the 200 contacts outside the batch are untouched
    expect(new Set(ids.filter((id) => !bad.has(id)))).toEqual(new Set(h.confirmed.keys()));
  });

  it('bisects the batch when the 400 names the property but not the value', async () => {
    const { bad, updates, snapshot } = arrange();
    const before = snapshot();
    // The same answer without the entries' messages: HubSpot then says which property, not which value.
    h.rewriteUpdateAnswer = (status, body) => {
      const b = body as { message?: string };
      const prefix = 'Property values were not valid: ';
      if (status !== 400 || !b.message?.startsWith(prefix)) return body;
      const list = JSON.parse(b.message.slice(prefix.length)) as Record<string, unknown>[];
      const bare = list.map((e) => ({ isValid: e.isValid, error: e.error, name: e.name }));
      return { ...b, message: prefix + JSON.stringify(bare), errors: undefined };
    };
    const lastWritten = new Map<string, WrittenValues>();
    let confirmedCalls = 0;
    let confirmedContacts = 0;
    const result = await writeChangedValues(h.connection, {
      updates,
      lastWritten,
      retry: RETRY,
      onConfirmed: async (confirmed) => {
        confirmedCalls++;
        confirmedContacts += Object.keys(confirmed).length;
      },
    });
    expect(result).toMatchObject({ contactsChanged: 100, contactsWritten: 97 });
    expectBadReported(result, bad);
    const answered = h.updateRequests.filter((r) => r.status === 200);
    expect(h.updateRequests.every((r) => r.status === 200 || r.status === 400)).toBe(true);
    expect(answered.reduce((n, r) => n + r.inputs, 0)).toBe(97);
    expect(confirmedCalls).toBe(answered.length);
    expect(confirmedContacts).toBe(97);
    expect(result.writeCalls).toBeLessThanOrEqual(2 * 100 - 1);
    expect([...h.confirmed.values()].every((n) => n === 1)).toBe(true);
    expectStoreHolds(h, lastWritten);
    expect(snapshot()).toEqual(before);
  });
});

describe('writeChangedValues when a batch is too large for HubSpot (413)', () => {
  it('fails that batch once with a clear message, does not resend it, and writes the batches that fit', async () => {
    const h = await startWritebackHarness(150, { maxBodyBytes: 30_000 });
    try {
      await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
      const ids = h.contactIds();
      // 100 full inputs are ~60 KB (refused); the second batch of 10 fits.
      const updates = new Map(ids.slice(0, 110).map((id, i) => [id, scoresFor(i)] as const));
      const result = await writeChangedValues(h.connection, {
        updates,
        lastWritten: new Map(),
        retry: RETRY,
        concurrency: 1,
      });
      expect(result).toMatchObject({
        contactsChanged: 110,
        contactsWritten: 10,
        writeCalls: 2,
        retriedInputs: 0,
      });
      expect(result.failed).toHaveLength(100);
      expect(result.failed[0].reason).toMatch(/HubSpot answered 413 Payload Too Large/);
      expect(result.failed[0].reason).toMatch(/send fewer inputs per request/);
      expect(h.updateRequests.map((r) => r.status)).toEqual([413, 200]);
    } finally {
      await h.close();
    }
  });
});

describe('readWrittenValues', () => {
  it('reads 100 contacts per call, in written form, and leaves out contacts HubSpot lacks', async () => {
    const h = await startWritebackHarness(250);
    try {
      await ensureClvProperties(h.connection, { segments: SEGMENTS, retry: RETRY });
      const ids = h.contactIds();
      const contacts = h.sandbox.store.objects.contacts.byId;
      contacts.get(ids[0])!.properties.clv_p_alive = '0.50';
      const sentBatches: string[][] = [];
      await writeChangedValues(h.connection, {
        updates: new Map([[ids[1], { clv_p_alive: 0.123456 }]]),
        lastWritten: new Map(),
        onSending: async (sending) => void sentBatches.push(Object.keys(sending)),
        retry: RETRY,
      });
      expect(sentBatches).toEqual([[ids[1]]]);
      const before = h.requests.length;

      const read = await readWrittenValues(
        h.connection,
        [...ids, ids[0], 'no-such-contact'],
        ['clv_p_alive'],
        RETRY,
      );
      const calls = h.requests.slice(before);
      expect(calls.map((r) => r.path)).toEqual(Array(3).fill('/crm/v3/objects/contacts/batch/read'));
      expect(read.calls).toBe(3);
      expect(read.values.size).toBe(250);
      expect(read.values.has('no-such-contact')).toBe(false);
      expect(read.values.get(ids[0])).toEqual({ clv_p_alive: '0.5' });
      expect(read.values.get(ids[1])).toEqual({ clv_p_alive: '0.1235' });
      expect(read.values.get(ids[2])).toEqual({ clv_p_alive: '' });
    } finally {
      await h.close();
    }
  });
});
