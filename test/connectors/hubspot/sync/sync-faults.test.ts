import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubSpotConnection } from '../../../../connectors/hubspot/create-client';
import { createHubSpotSandbox } from '../../../../connectors/hubspot/sandbox';
import { syncHubSpot } from '../../../../connectors/hubspot/sync';
import { FileRecordStore } from '../../../../worker/state';
import { storeSink } from '../../../../worker/state/store-sink';
import { fakeClock, seededRandom } from '../fake-clock';

const TOKEN = 'sandbox-token';

async function fullSync(storm: number) {
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '1000',
    seed: 5,
    contacts: 30,
    rateLimit: { perTenSeconds: 100_000, searchPerSecond: 100_000 },
  });
  const server = await sandbox.listen(0);
  const dir = await mkdtemp(join(tmpdir(), 'crm-clv-sync-faults-'));
  try {
    // The fake clock makes the 10-second waits instant while the limiter still records them.
    const clock = fakeClock(Date.parse('2026-11-20T09:00:00.000Z'));
    const connection = createHubSpotConnection({
      accessToken: TOKEN,
      baseUrl: server.url,
      account: { auth: 'oauth' },
      clock,
    });
    const store = new FileRecordStore(dir);
    sandbox.faults.rateLimitStorm = storm;
    const summary = await syncHubSpot({
      connection,
      sink: storeSink(store, '1000'),
      tenant: '1000',
      mode: 'full',
      retry: { random: seededRandom(1) },
    });
    const records = {
      customers: await store.readRecords('1000', 'customer'),
      orders: await store.readRecords('1000', 'order'),
      reps: await store.readRecords('1000', 'rep'),
    };
    return { summary, records, sleeps: clock.sleeps };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('syncHubSpot under a 429 storm', () => {
  it('waits out each 429 window, counts it, and stores the same records as a clean run', async () => {
    const clean = await fullSync(0);
    const stormy = await fullSync(3);
    expect(clean.summary.rateLimitWaits).toBe(0);
    expect(stormy.summary.rateLimitWaits).toBe(3);
    expect(stormy.summary.apiCalls).toBe(clean.summary.apiCalls + 3);
    expect(stormy.records).toEqual(clean.records);
    expect(stormy.summary.read).toEqual(clean.summary.read);
    // TEN_SECONDLY_ROLLING: the whole limiter pauses for the window (10 s by default, NOTES §4.6).
    expect(stormy.sleeps.filter((ms) => ms >= 9_000).length).toBeGreaterThanOrEqual(1);
  });
});
