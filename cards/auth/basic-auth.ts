/**
 * HTTP Basic authentication (RFC 7617) for the operator pages. Never open by default: without a configured
 * password the guarded routes answer 503 and say which variable to set. The user name and password are
 * compared as SHA-256 digests with timingSafeEqual, so the time taken tells nothing about how much of either
 * matched, not even their lengths; both comparisons always run.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';

export const ADMIN_USER_VARIABLE = 'CRM_CLV_ADMIN_USER';
export const ADMIN_PASSWORD_VARIABLE = 'CRM_CLV_ADMIN_PASSWORD';
export const DEFAULT_ADMIN_USER = 'admin';

export type BasicCredentials = { user: string; password: string };

// A password is taken as written (spaces included); only an empty one counts as unset.
const adminEnv = z.object({
  [ADMIN_USER_VARIABLE]: z.string().trim().min(1).optional().catch(undefined),
  [ADMIN_PASSWORD_VARIABLE]: z.string().min(1).optional().catch(undefined),
});

/** The admin credentials from the environment, or undefined when no password is set. */
export function adminCredentialsFromEnv(env: NodeJS.ProcessEnv): BasicCredentials | undefined {
  const parsed = adminEnv.parse(env);
  const password = parsed[ADMIN_PASSWORD_VARIABLE];
  if (password === undefined) return undefined;
  return { user: parsed[ADMIN_USER_VARIABLE] ?? DEFAULT_ADMIN_USER, password };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The user and password of an `Authorization: Basic …` header, or undefined when it is not one. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** True when `given` matches `expected`, in time independent of where they differ. */
export function credentialsMatch(given: BasicCredentials, expected: BasicCredentials): boolean {
  const userOk = timingSafeEqual(digest(given.user), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(given.password), digest(expected.password));
  return userOk && passwordOk;
}

/**
 * Guards the routes after it. `credentials` undefined: 503 naming CRM_CLV_ADMIN_PASSWORD; no or wrong
 * credentials: 401 with a Basic challenge. Answers are JSON and never cached; nothing given is echoed or logged.
 */
export function basicAuth(credentials: BasicCredentials | undefined, realm: string): RequestHandler {
  const expected = credentials === undefined ? undefined : { ...credentials };
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (expected === undefined) {
      res.status(503).json({
        error: 'ADMIN_PASSWORD_NOT_SET',
        message: `set ${ADMIN_PASSWORD_VARIABLE} (and ${ADMIN_USER_VARIABLE}, default '${DEFAULT_ADMIN_USER}') to open this page`,
      });
      return;
    }
    const given = parseBasicAuthorization(req.headers.authorization);
    if (given !== undefined && credentialsMatch(given, expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).json({
      error: 'UNAUTHORIZED',
      message: `log in with ${ADMIN_USER_VARIABLE} and ${ADMIN_PASSWORD_VARIABLE}`,
    });
  };
}
