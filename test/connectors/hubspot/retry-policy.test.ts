import { callWithRetry } from '../../../connectors/hubspot/call-with-retry';
import { createHubSpotLimiters } from '../../../connectors/hubspot/rate-limiter';
import {
  HubSpotDailyLimitError,
  HubSpotRequestError,
  HubSpotRetriesExhaustedError,
} from '../../../connectors/hubspot/errors';
import { toFailedCall } from '../../../connectors/hubspot/failed-call';
import { nextDailyReset } from '../../../connectors/hubspot/next-daily-reset';
import { SlidingWindowLimiter } from '../../../connectors/hubspot/rate-limiter';
import { decideRetry, retryAfterMs, type RetryOptions } from '../../../connectors/hubspot/retry-policy';
import { fakeClock, seededRandom } from './fake-clock';

// 429 bodies verbatim from NOTES §4.6.
const DAILY_BODY = {
  status: 'error',
  message: 'You have reached your daily limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'DAILY',
  requestId: '3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd',
};
const ROLLING_BODY = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad25',
  policyName: 'TEN_SECONDLY_ROLLING',
};
const SECONDLY_BODY = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad26',
};
// Error body verbatim from NOTES §4.7.
const VALIDATION_BODY = {
  status: 'error',
  message: 'Property values were not valid: [...]',
  correlationId: '8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c',
  errors: [
    {
      message: 'Property "testproperty" does not exist',
      code: 'PROPERTY_DOESNT_EXIST',
      context: { propertyName: ['testproperty'] },
    },
  ],
  category: 'VALIDATION_ERROR',
};

const NOW = Date.parse('2026-11-26T12:00:00.000Z');
function options(overrides: Partial<RetryOptions> = {}): RetryOptions {
  return {
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    random: () => 0.5,
    timeZone: 'UTC',
    maxRateLimitWaits: 20,
    ...overrides,
  };
}

describe('decideRetry', () => {
  it('waits out the 10-second window on TEN_SECONDLY_ROLLING, from the interval header or 10 s', () => {
    const withHeader = decideRetry(
      {
        kind: 'response',
        status: 429,
        body: ROLLING_BODY,
        headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      },
      1,
      NOW,
      options(),
    );
    expect(withHeader).toEqual({
      action: 'retry',
      delayMs: 10_000,
      pauseAll: true,
      reason: '429 TEN_SECONDLY_ROLLING',
    });
    const retryAfter = decideRetry(
      { kind: 'response', status: 429, body: ROLLING_BODY, headers: { 'Retry-After': '3' } },
      1,
      NOW,
      options(),
    );
    expect(retryAfter.action === 'retry' && retryAfter.delayMs).toBe(3_000);
    const bare = decideRetry({ kind: 'response', status: 429, body: ROLLING_BODY }, 1, NOW, options());
    expect(bare.action === 'retry' && bare.delayMs).toBe(10_000);
  });

  it('waits 1 s on the search secondly limit', () => {
    const decision = decideRetry({ kind: 'response', status: 429, body: SECONDLY_BODY }, 1, NOW, options());
    expect(decision).toEqual({ action: 'retry', delayMs: 1_000, pauseAll: true, reason: '429 secondly' });
  });

  it('stops on DAILY with a typed error reporting the reset at midnight in the account time zone', () => {
    const decision = decideRetry(
      { kind: 'response', status: 429, body: DAILY_BODY },
      1,
      NOW,
      options({ timeZone: 'America/New_York' }),
    );
    expect(decision.action).toBe('fail');
    if (decision.action !== 'fail') return;
    expect(decision.error).toBeInstanceOf(HubSpotDailyLimitError);
    expect(decision.error.code).toBe('HUBSPOT_DAILY_LIMIT');
    // 12:00 UTC = 07:00 EST; next local midnight = 2026-11-27 00:00 EST = 05:00 UTC.
    expect((decision.error as HubSpotDailyLimitError).resetAt).toBe('2026-11-27T05:00:00.000Z');
    expect(decision.error.message).toMatch(/resets at 2026-11-27T05:00:00.000Z/);
  });

  it('backs off 5xx and network errors exponentially with full jitter, then gives up', () => {
    const delays = [1, 2, 3, 4].map((attempt) => {
      const d = decideRetry(
        { kind: 'response', status: 502, body: {} },
        attempt,
        NOW,
        options({ random: () => 0.999 }),
      );
      return d.action === 'retry' ? d.delayMs : -1;
    });
    // ceilings 500, 1000, 2000, 4000 ms; random just below 1 gives just below the ceiling.
    expect(delays).toEqual([499, 999, 1998, 3996]);
    const capped = decideRetry(
      { kind: 'network', error: new Error('x') },
      20,
      NOW,
      options({ maxAttempts: 30, random: () => 0.5 }),
    );
    expect(capped.action === 'retry' && capped.delayMs).toBe(15_000);
    const last = decideRetry({ kind: 'response', status: 503 }, 5, NOW, options());
    expect(last.action === 'fail' && last.error).toBeInstanceOf(HubSpotRetriesExhaustedError);
  });

  it('fails on other 4xx with HubSpot category, details and correlation id', () => {
    const decision = decideRetry({ kind: 'response', status: 400, body: VALIDATION_BODY }, 1, NOW, options());
    expect(decision.action).toBe('fail');
    if (decision.action !== 'fail') return;
    const error = decision.error as HubSpotRequestError;
    expect(error).toBeInstanceOf(HubSpotRequestError);
    expect([error.code, error.status, error.category, error.correlationId]).toEqual([
      'HUBSPOT_REQUEST_FAILED',
      400,
      'VALIDATION_ERROR',
      '8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c',
    ]);
    expect(error.message).toMatch(
      /^HubSpot answered 400 VALIDATION_ERROR: Property "testproperty" does not exist/,
    );
  });

  it('waits at least 2 s on 423 Locked (NOTES §4.7)', () => {
    const decision = decideRetry({ kind: 'response', status: 423 }, 1, NOW, options());
    expect(decision.action === 'retry' && decision.delayMs).toBe(2_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, NOW)).toBe(2_000);
    expect(retryAfterMs({ 'retry-after': new Date(NOW + 4_000).toUTCString() }, NOW)).toBe(4_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
  });
});

describe('nextDailyReset', () => {
  it('is the next local midnight, DST included', () => {
    expect(new Date(nextDailyReset(NOW, 'UTC')).toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(new Date(nextDailyReset(NOW, 'Europe/Paris')).toISOString()).toBe('2026-11-26T23:00:00.000Z');
    // 2026-03-08 is the US spring-forward day: midnight after it is EDT (UTC−4).
    const beforeDst = Date.parse('2026-03-08T12:00:00.000Z');
    expect(new Date(nextDailyReset(beforeDst, 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });
});

describe('toFailedCall', () => {
  it('reads the SDK ApiException (code, body, headers) and fetch network failures', () => {
    const apiException = Object.assign(new Error('HTTP-Code: 429'), {
      code: 429,
      body: ROLLING_BODY,
      headers: { a: 'b' },
    });
    expect(toFailedCall(apiException)).toEqual({
      kind: 'response',
      status: 429,
      body: ROLLING_BODY,
      headers: { a: 'b' },
    });
    const network = new TypeError('fetch failed', {
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(toFailedCall(network)?.kind).toBe('network');
    expect(toFailedCall(new RangeError('our bug'))).toBeUndefined();
  });
});

describe('callWithRetry', () => {
  const apiError = (code: number, body: unknown) =>
    Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers: {} });

  it('waits out a 429 storm through the limiter and calls once per attempt', async () => {
    const clock = fakeClock(NOW);
    const limiter = new SlidingWindowLimiter({ limit: 110, windowMs: 10_000 }, clock);
    const responses = [apiError(429, ROLLING_BODY), apiError(429, ROLLING_BODY), apiError(502, {})];
    let calls = 0;
    const result = await callWithRetry(
      async () => {
        calls++;
        const next = responses.shift();
        if (next !== undefined) throw next;
        return 'ok';
      },
      limiter,
      clock,
      options({ random: seededRandom(7) }),
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    // Two full windows, then a jittered backoff below the 500 ms ceiling.
    expect(clock.now() - NOW).toBeGreaterThanOrEqual(20_000);
    expect(clock.now() - NOW).toBeLessThan(20_500);
  });

  it("holds association calls to the associations limit (100/10 s) while other calls get the account's 110", async () => {
    const clock = fakeClock(NOW);
    const limiters = createHubSpotLimiters({ auth: 'oauth' }, clock);
    const starts = { associations: [] as number[], general: [] as number[] };
    const run = async (kind: 'associations' | 'general', n: number) => {
      for (let i = 0; i < n; i++)
        await callWithRetry(
          async () => starts[kind].push(clock.now()),
          kind === 'associations' ? [limiters.general, limiters.associations] : limiters.general,
          clock,
          options({}),
        );
    };
    await run('associations', 250);
    // 100 at once, then the 101st waits a whole window: the associations limit, not the general 110.
    expect(starts.associations[99]).toBe(NOW);
    expect(starts.associations[100]).toBe(NOW + 10_000);
    for (let i = 100; i < 250; i++)
      expect(starts.associations[i] - starts.associations[i - 100]).toBeGreaterThanOrEqual(10_000);
    clock.advance(10_000);
    await run('general', 111);
    const t0 = starts.general[0];
    expect(starts.general.filter((t) => t === t0)).toHaveLength(110);
  });

  it('adopts a tighter limit a 429 reports (X-HubSpot-RateLimit-Max), never a looser one', async () => {
    const clock = fakeClock(NOW);
    const limiter = new SlidingWindowLimiter({ limit: 190, windowMs: 10_000 }, clock);
    const rateLimited = (max: string) =>
      Object.assign(new Error('HTTP-Code: 429'), {
        code: 429,
        body: ROLLING_BODY,
        headers: { 'x-hubspot-ratelimit-max': max, 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      });
    const once = (error: Error) => {
      let thrown = false;
      return async () => {
        if (thrown) return 'ok';
        thrown = true;
        throw error;
      };
    };
    await callWithRetry(once(rateLimited('250')), limiter, clock, options({}));
    expect(limiter.window).toEqual({ limit: 190, windowMs: 10_000 });
    await callWithRetry(once(rateLimited('100')), limiter, clock, options({}));
    expect(limiter.window).toEqual({ limit: 100, windowMs: 10_000 });
  });

  it('throws the typed error on DAILY without retrying, and rethrows our own bugs', async () => {
    const clock = fakeClock(NOW);
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 10_000 }, clock);
    let calls = 0;
    await expect(
      callWithRetry(
        async () => {
          calls++;
          throw apiError(429, DAILY_BODY);
        },
        limiter,
        clock,
        options(),
      ),
    ).rejects.toBeInstanceOf(HubSpotDailyLimitError);
    expect(calls).toBe(1);
    await expect(
      callWithRetry(
        async () => {
          throw new RangeError('bug');
        },
        limiter,
        clock,
        options(),
      ),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
