/**
 * The AES-256 key that encrypts stored OAuth tokens, from the environment (DESIGN, Config: environment variables
 * validated with zod). 32 bytes, written either as 64 hex characters or as base64 (`openssl rand -base64 32`).
 */
import { z } from 'zod';
import { TokenKeyInvalidError, TokenKeyMissingError } from './oauth-errors';

export const TOKEN_KEY_VARIABLE = 'CRM_CLV_TOKEN_KEY';

const KEY_BYTES = 32;

/** Hex is tried first: 64 hex digits are also valid base64 (of 48 bytes), so the order decides. */
const hexKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform((text) => Buffer.from(text, 'hex'));

/** Standard or URL-safe base64, padded or not; Buffer.from would silently skip bad characters, so check first. */
const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/)
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((key) => key.length === KEY_BYTES);

const tokenKey = z
  .string()
  .trim()
  .pipe(z.union([hexKey, base64Key]));

/** Parses a key's text; the value is never put in an error. */
export function parseTokenKey(text: string | undefined, variable = TOKEN_KEY_VARIABLE): Buffer {
  if (text === undefined || text.trim() === '') throw new TokenKeyMissingError(variable);
  const parsed = tokenKey.safeParse(text);
  if (!parsed.success) throw new TokenKeyInvalidError(variable);
  return parsed.data;
}

/** Reads `CRM_CLV_TOKEN_KEY` from `env` (process.env by default). */
export function tokenKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  return parseTokenKey(env[TOKEN_KEY_VARIABLE]);
}
