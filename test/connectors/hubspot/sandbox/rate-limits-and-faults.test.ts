import { rejection, startHarness, UUID, type Harness } from './sandbox-harness';

describe('HubSpot sandbox: rate limits (NOTES §4.6)', () => {
  let h: Harness;
  let clock = Date.parse('2026-11-20T12:00:00.000Z');
  beforeAll(async () => {
    h = await startHarness({
      contacts: 20,
      rateLimit: { perTenSeconds: 110, daily: 250_000 },
      now: () => clock,
    });
  });
  afterAll(async () => {
    await h.server.close();
  });

  it('answers the 111th request within 10 s with 429 TEN_SECONDLY_ROLLING and the rate-limit headers', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 110; i++) {
      last = await h.client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: 1 } });
      expect(last.status).toBe(200);
    }
    expect(last?.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(last?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(last?.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    expect(last?.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe(String(250_000 - 110));
    const error = await rejection(() => h.client.crm.contacts.basicApi.getPage(1));
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      correlationId: expect.stringMatching(UUID),
    });
    expect(error.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(error.headers['x-hubspot-ratelimit-max']).toBe('110');
    clock += 10_001;
    await expect(h.client.crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('limits search to 5 per second with the secondly message and no rate headers', async () => {
    clock += 60_000;
    const search = () => h.client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 1 } as never);
    for (let i = 0; i < 5; i++) await search();
    const error = await rejection(search);
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
    });
    expect(error.headers['x-hubspot-ratelimit-max']).toBeUndefined();
  });
});

describe('HubSpot sandbox: daily limit', () => {
  it('answers 429 DAILY once the daily budget is spent', async () => {
    const h = await startHarness({ contacts: 5, rateLimit: { perTenSeconds: 100, daily: 3 } });
    try {
      for (let i = 0; i < 3; i++) await h.client.crm.contacts.basicApi.getPage(1);
      const error = await rejection(() => h.client.crm.contacts.basicApi.getPage(1));
      expect(error.code).toBe(429);
      expect(error.body).toMatchObject({
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      });
      expect(error.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    } finally {
      await h.server.close();
    }
  });
});

describe('HubSpot sandbox: fault injection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ contacts: 10, rateLimit: { perTenSeconds: 100_000 } });
  });
  afterAll(async () => {
    await h.server.close();
  });

  it("answers a 429 storm for exactly N requests, with the real limit's body and headers, then recovers", async () => {
    h.sandbox.faults.rateLimitStorm = 3;
    for (let i = 0; i < 3; i++) {
      const error = await rejection(() => h.client.crm.contacts.basicApi.getPage(1));
      expect(error.code).toBe(429);
      expect(error.body).toMatchObject({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        correlationId: expect.stringMatching(UUID),
      });
      expect(error.headers['x-hubspot-ratelimit-remaining']).toBe('0');
      expect(error.headers['x-hubspot-ratelimit-max']).toBe('100000');
      expect(error.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
    }
    await expect(h.client.crm.contacts.basicApi.getPage(1)).resolves.toBeDefined();
  });

  it('answers 5xx at the configured rate and delays answers by latencyMs', async () => {
    h.sandbox.faults.serverErrorRate = 1;
    const error = await rejection(() => h.client.crm.contacts.basicApi.getPage(1));
    expect(error.code).toBe(502);
    h.sandbox.faults.serverErrorRate = 0;
    h.sandbox.faults.latencyMs = 120;
    const started = Date.now();
    await h.client.crm.contacts.basicApi.getPage(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    h.sandbox.faults.latencyMs = 0;
  });
});
