/**
 * The sandbox's server-side limits (NOTES §4.6): a rolling 10-second window per token, a daily counter that
 * resets at midnight (UTC here; HubSpot uses the account's time zone), and search's 5 requests per second.
 * Rejected requests are not counted, so a client that waits out the window gets through.
 */

export type RateLimitConfig = {
  /** Requests per rolling 10 s (110 OAuth apps, 100/190 private apps). */
  perTenSeconds: number;
  /** Requests per day; omitted for OAuth tokens, which also get no Daily headers (NOTES §4.6). */
  daily?: number;
  /** Search requests per second per account. */
  searchPerSecond: number;
};

export type RateLimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';
      headers: Record<string, string>;
    };

const TEN_SECONDS = 10_000;
const { ceil, floor, max } = Math;

/** Accepted-request timestamps within the span; old entries are dropped lazily. */
class SlidingLog {
  private times: number[] = [];
  private head = 0;
  constructor(private readonly spanMs: number) {}
  count(now: number): number {
    const { times } = this;
    while (this.head < times.length && times[this.head] <= now - this.spanMs) this.head++;
    if (this.head > 1024) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
  add(now: number): void {
    this.times.push(now);
  }
}

export type RateLimiter = {
  /** `oauth`: the call used an OAuth access token, which has no daily limit and gets no Daily headers. */
  check(kind: 'standard' | 'search', now: number, oauth?: boolean): RateLimitDecision;
  /** The headers of a TEN_SECONDLY_ROLLING 429 (Remaining 0), without counting a request: for injected 429s. */
  rejectionHeaders(kind: 'standard' | 'search', oauth?: boolean): Record<string, string>;
};

export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  const window = new SlidingLog(TEN_SECONDS);
  const search = new SlidingLog(1000);
  let dailyUsed = 0;
  let dayStart = -1;

  const headers = (remaining: number, oauth: boolean): Record<string, string> => {
    const h: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(config.perTenSeconds),
      'X-HubSpot-RateLimit-Remaining': String(remaining),
      // Deprecated but still sent (NOTES §4.6); not enforced.
      'X-HubSpot-RateLimit-Secondly': String(ceil(config.perTenSeconds / 10)),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(max(0, ceil(remaining / 10))),
    };
    if (config.daily !== undefined && !oauth) {
      h['X-HubSpot-RateLimit-Daily'] = String(config.daily);
      h['X-HubSpot-RateLimit-Daily-Remaining'] = String(max(0, config.daily - dailyUsed));
    }
    return h;
  };

  return {
    rejectionHeaders: (kind, oauth = false) => (kind === 'search' ? {} : headers(0, oauth)),
    check(kind, now, oauth = false) {
      const day = floor(now / 86_400_000);
      if (day !== dayStart) {
        dayStart = day;
        dailyUsed = 0;
      }
      if (kind === 'search') {
        // Search carries no rate headers and is outside the 10 s budget (NOTES §4.1 search, §4.6).
        if (search.count(now) >= config.searchPerSecond)
          return { allowed: false, policy: 'SECONDLY', headers: {} };
        search.add(now);
        return { allowed: true, headers: {} };
      }
      if (config.daily !== undefined && !oauth && dailyUsed >= config.daily) {
        return {
          allowed: false,
          policy: 'DAILY',
          headers: headers(max(0, config.perTenSeconds - window.count(now)), oauth),
        };
      }
      const used = window.count(now);
      if (used >= config.perTenSeconds)
        return { allowed: false, policy: 'TEN_SECONDLY_ROLLING', headers: headers(0, oauth) };
      window.add(now);
      if (!oauth) dailyUsed++;
      return { allowed: true, headers: headers(config.perTenSeconds - used - 1, oauth) };
    },
  };
}
