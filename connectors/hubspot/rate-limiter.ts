/**
 * Our own limiter, because the SDK applies none unless configured and ignores the rate-limit headers
 * (NOTES §5.1, §5.2). A sliding-window log: at most `limit` calls start in any `windowMs`, which is what
 * HubSpot's TEN_SECONDLY_ROLLING policy counts (NOTES §4.6). Clock and sleep are injected so tests run on a
 * fake clock.
 */

import { checkWindow, type CallLimiter, type CallLimiterFactory, type WindowLimit } from '../call-limiter';

export type { WindowLimit } from '../call-limiter';

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * How the app is authenticated and the account's tier (NOTES §4.6): OAuth (marketplace) apps get 110 per
 * 10 s per installing account with no daily limit; private apps 100 (Free/Starter), 190 (Professional,
 * Enterprise), 250 with the API limit increase, and a daily limit shared by all private apps of the account.
 */
export type AccountLimits =
  | { auth: 'oauth' }
  | {
      auth: 'private';
      tier: 'free' | 'starter' | 'professional' | 'enterprise';
      /** Number of API Limit Increase add-ons, 0–2. */
      limitIncreases?: number;
    };

export const TEN_SECONDS = 10_000;

/** Burst limit per 10 s for an account (NOTES §4.6 table). */
export function tenSecondLimit(account: AccountLimits): WindowLimit {
  if (account.auth === 'oauth') return { limit: 110, windowMs: TEN_SECONDS };
  if ((account.limitIncreases ?? 0) > 0) return { limit: 250, windowMs: TEN_SECONDS };
  const limit = account.tier === 'free' || account.tier === 'starter' ? 100 : 190;
  return { limit, windowMs: TEN_SECONDS };
}

/** Daily limit of the account, undefined for OAuth apps (no daily limit, NOTES §4.6). */
export function dailyLimit(account: AccountLimits): number | undefined {
  if (account.auth === 'oauth') return undefined;
  const base = { free: 250_000, starter: 250_000, professional: 625_000, enterprise: 1_000_000 }[
    account.tier
  ];
  return base + 1_000_000 * Math.min(2, Math.max(0, account.limitIncreases ?? 0));
}

/**
 * The associations API's own burst limit (NOTES §4.2: Free/Starter 100, Pro/Enterprise 150, 200 with the
 * add-on, per 10 s), on top of the account's limit. An OAuth app does not know the installing account's tier,
 * so it assumes the lowest: at 110 general calls per 10 s, a run of association reads would otherwise draw
 * 429s on a Starter portal.
 */
export function associationsLimit(account: AccountLimits): WindowLimit {
  if (account.auth === 'oauth') return { limit: 100, windowMs: TEN_SECONDS };
  if ((account.limitIncreases ?? 0) > 0) return { limit: 200, windowMs: TEN_SECONDS };
  const limit = account.tier === 'free' || account.tier === 'starter' ? 100 : 150;
  return { limit, windowMs: TEN_SECONDS };
}

/** Search endpoints: 5 requests per second per account, separately from the burst limit (NOTES §4.1, §4.6). */
export const SEARCH_LIMIT: WindowLimit = { limit: 5, windowMs: 1_000 };

/**
 * The burst limit the account reports in `X-HubSpot-RateLimit-Max` and `-Interval-Milliseconds` (NOTES §4.6),
 * or undefined when the headers are absent (search responses carry none).
 */
export function limitFromHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): WindowLimit | undefined {
  const get = (name: string) => {
    for (const [key, value] of Object.entries(headers))
      if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
    return undefined;
  };
  const limit = Number(get('x-hubspot-ratelimit-max'));
  const windowMs = Number(get('x-hubspot-ratelimit-interval-milliseconds'));
  if (!Number.isInteger(limit) || limit <= 0 || !Number.isInteger(windowMs) || windowMs <= 0)
    return undefined;
  return { limit, windowMs };
}

export class SlidingWindowLimiter implements CallLimiter {
  private limit: number;
  private windowMs: number;
  private readonly clock: Clock;
  /**
   * Per call in the current window, the time it counts from: its start, moved to its response once that is
   * back (see acquire). Nearly in order, oldest first (a queue with a moving head).
   */
  private starts: number[] = [];
  private head = 0;
  /** Calls dropped from the front of `starts` by compaction, so a release can find its call. */
  private base = 0;
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(window: WindowLimit, clock: Clock = systemClock) {
    checkWindow(window);
    this.limit = window.limit;
    this.windowMs = window.windowMs;
    this.clock = clock;
  }

  /**
   * Resolves when a call may start; callers are served in the order they asked. Call the returned function
   * when the response is back: the call then counts until response + window instead of start + window.
   * HubSpot counts a request when it arrives, somewhere between our start and the response; counting from the
   * start let a slow request still count on the server after it left our window, so the next call was the
   * 111th there and got a 429 (measured: 19 of 1,019 batch calls at 110/10 s, each costing a 10-s pause).
   * Counting from the response can only over-count, by one round trip per window.
   */
  acquire(): Promise<() => void> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Milliseconds until a call could start at `now` (0 = now), without taking a slot. */
  delayAt(now: number): number {
    this.forget(now);
    const pause = this.pausedUntil - now;
    const window = this.inWindow() < this.limit ? 0 : this.starts[this.head] + this.windowMs - now;
    return Math.max(0, pause, window);
  }

  /** Stops all calls until `until` (after a 429: wait out the window, NOTES §4.6). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** The window now enforced. */
  get window(): WindowLimit {
    return { limit: this.limit, windowMs: this.windowMs };
  }

  /** Resizes from the account's reported limit (limitFromHeaders). */
  resize(window: WindowLimit): void {
    checkWindow(window);
    this.limit = window.limit;
    this.windowMs = window.windowMs;
  }

  /** Calls started within the last window at `now`. */
  inFlightWindowCount(now: number): number {
    this.forget(now);
    return this.inWindow();
  }

  private async take(): Promise<() => void> {
    for (;;) {
      const now = this.clock.now();
      const wait = this.delayAt(now);
      if (wait <= 0) {
        const call = this.base + this.starts.length;
        this.starts.push(now);
        let settled = false;
        return () => {
          if (settled) return; // only the first report is the response time
          settled = true;
          this.settle(call);
        };
      }
      await this.clock.sleep(wait);
    }
  }

  /** The call's response is back: it counts from now. A call already out of the window stays out. */
  private settle(call: number): void {
    const i = call - this.base;
    if (i >= this.head && i < this.starts.length) this.starts[i] = Math.max(this.starts[i], this.clock.now());
  }

  private inWindow(): number {
    return this.starts.length - this.head;
  }

  /**
   * A call counted from t counts until t + windowMs (exclusive). Settled calls can be out of order by a
   * round trip; the head then waits for the later one, which over-counts briefly and never under-counts.
   */
  private forget(now: number): void {
    while (this.head < this.starts.length && this.starts[this.head] + this.windowMs <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}

export type HubSpotLimiters = {
  general: CallLimiter;
  search: CallLimiter;
  /** Taken by association calls in addition to `general`. */
  associations: CallLimiter;
};

/**
 * One pair per process and account (NOTES §5.1: one client per process): the burst limiter for every call,
 * and the search limiter, which search calls take instead (the burst limit "excludes the Search API",
 * NOTES §4.6; search has its own 5/s and carries no rate-limit headers).
 */
export function createHubSpotLimiters(
  account: AccountLimits,
  clock: Clock = systemClock,
  /** Where the counts live; this process by default, Redis for workers that share an account. */
  factory: CallLimiterFactory = (_name, window) => new SlidingWindowLimiter(window, clock),
): HubSpotLimiters {
  return {
    general: factory('general', tenSecondLimit(account)),
    search: factory('search', SEARCH_LIMIT),
    associations: factory('associations', associationsLimit(account)),
  };
}
