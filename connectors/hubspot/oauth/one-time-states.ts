/**
 * OAuth `state` values: random, short-lived and single use, kept in memory. The state ties a callback to an
 * install this server started, so a forged or replayed callback cannot make it store someone else's tokens
 * (RFC 6749 §10.12, CSRF protection with `state`). In memory is enough: an install takes a minute and a restart
 * only means starting the install again.
 */
import { randomBytes } from 'node:crypto';

export const STATE_TTL_MS = 10 * 60 * 1000;

export type OneTimeStates = {
  /** A new state, valid for `ttlMs`. */
  issue(): string;
  /** True once for a state issued here and not expired; it is forgotten either way. */
  consume(state: string): boolean;
};

export function createOneTimeStates(options: { ttlMs?: number; now?: () => number } = {}): OneTimeStates {
  const ttlMs = options.ttlMs ?? STATE_TTL_MS;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();

  // Abandoned installs never come back; dropping expired states on each issue keeps the map small.
  const forgetExpired = (at: number) => {
    for (const [state, expiry] of expiries) if (expiry <= at) expiries.delete(state);
  };

  return {
    issue() {
      const at = now();
      forgetExpired(at);
      const state = randomBytes(24).toString('base64url');
      expiries.set(state, at + ttlMs);
      return state;
    },
    consume(state) {
      const expiry = expiries.get(state);
      expiries.delete(state);
      return expiry !== undefined && now() < expiry;
    },
  };
}
