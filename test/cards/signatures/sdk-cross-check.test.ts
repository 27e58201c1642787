/**
 * Our verifiers agree with `@hubspot/api-client`'s `Signature` (an independent implementation, NOTES §3) on
 * generated requests: random secrets, methods, URLs with every escape of the decoding table, bodies with
 * non-ASCII text, timestamps within the window. The SDK does not decode the URI, so it is given the decoded one
 * (as NOTES says a caller must); it accepts future timestamps, so the cross-check stays within the past 5 minutes.
 */
import { Signature } from '@hubspot/api-client';
import { createSeededRandom } from '../../helpers/random';
import {
  decodeSignedUri,
  HubSpotSignatureError,
  signatureV1,
  signatureV3,
  verifySignatureV1,
  verifySignatureV3,
} from '../../../cards/signatures';

const ESCAPES = [
  '%3A',
  '%2F',
  '%3F',
  '%40',
  '%21',
  '%24',
  '%27',
  '%28',
  '%29',
  '%2A',
  '%2C',
  '%3B',
  '%20',
  '%25',
  '%2B',
];
const TEXTS = ['a', 'Z', '0', '-', '_', '.', '~', 'é', '€', '日本'];

function accepts(run: () => void): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof HubSpotSignatureError) return false;
    throw error;
  }
}

describe('agreement with @hubspot/api-client Signature on generated cases', () => {
  const seeded = createSeededRandom(20261117);
  const random = () => seeded.uniform();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const word = (n: number) =>
    Array.from({ length: n }, () => pick(random() < 0.3 ? ESCAPES : TEXTS)).join('');

  const cases = Array.from({ length: 300 }, (_, i) => {
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const body =
      method === 'GET' || method === 'DELETE'
        ? ''
        : JSON.stringify({ i, note: word(1 + Math.floor(random() * 12)), amount: random() * 1000 });
    const uri = `https://host-${i}.example.com/${word(3)}/${word(2)}?portalId=${1 + i}&q=${word(4)}`;
    const secret = `secret-${Math.floor(random() * 1e12).toString(36)}-${i}`;
    const timestamp = String(Date.now() - Math.floor(random() * 240_000));
    return { method, body, uri, secret, timestamp };
  });

  it('v3: the same signature, and each accepts the other’s', () => {
    for (const c of cases) {
      const ours = signatureV3(c.secret, c);
      const theirs = Signature.getSignature(c.method, 'v3', {
        signature: '',
        clientSecret: c.secret,
        requestBody: c.body,
        url: decodeSignedUri(c.uri),
        timestamp: Number(c.timestamp),
      });
      expect(ours).toBe(theirs);
      expect(
        Signature.isValid({
          signature: ours,
          clientSecret: c.secret,
          requestBody: c.body,
          url: decodeSignedUri(c.uri),
          method: c.method,
          signatureVersion: 'v3',
          timestamp: Number(c.timestamp),
        }),
      ).toBe(true);
      expect(
        accepts(() => verifySignatureV3(c.secret, { ...c, body: Buffer.from(c.body), signature: theirs })),
      ).toBe(true);
    }
  });

  it('v3: both refuse a changed body or another secret', () => {
    for (const c of cases.slice(0, 100)) {
      const signature = signatureV3(c.secret, c);
      const body = `${c.body} `;
      const sdk = (clientSecret: string, requestBody: string) =>
        Signature.isValid({
          signature,
          clientSecret,
          requestBody,
          url: decodeSignedUri(c.uri),
          method: c.method,
          signatureVersion: 'v3',
          timestamp: Number(c.timestamp),
        });
      expect([
        sdk(c.secret, body),
        accepts(() => verifySignatureV3(c.secret, { ...c, body, signature })),
      ]).toEqual([false, false]);
      expect([
        sdk(`${c.secret}x`, c.body),
        accepts(() => verifySignatureV3(`${c.secret}x`, { ...c, signature })),
      ]).toEqual([false, false]);
    }
  });

  it('v3: both refuse a timestamp more than 5 minutes old', () => {
    const c = cases[0];
    const timestamp = String(Date.now() - 301_000);
    const signature = signatureV3(c.secret, { ...c, timestamp });
    expect(() =>
      Signature.isValid({
        signature,
        clientSecret: c.secret,
        requestBody: c.body,
        url: decodeSignedUri(c.uri),
        method: c.method,
        signatureVersion: 'v3',
        timestamp: Number(timestamp),
      }),
    ).toThrow(/Timestamp is invalid/);
    expect(accepts(() => verifySignatureV3(c.secret, { ...c, timestamp, signature }))).toBe(false);
  });

  it('v1: the same signature, and each accepts the other’s', () => {
    for (const c of cases) {
      const ours = signatureV1(c.secret, c.body);
      expect(
        Signature.getSignature('POST', 'v1', { signature: '', clientSecret: c.secret, requestBody: c.body }),
      ).toBe(ours);
      expect(Signature.isValid({ signature: ours, clientSecret: c.secret, requestBody: c.body })).toBe(true);
      expect(accepts(() => verifySignatureV1(c.secret, { body: Buffer.from(c.body), signature: ours }))).toBe(
        true,
      );
      expect(accepts(() => verifySignatureV1(c.secret, { body: `${c.body}x`, signature: ours }))).toBe(false);
    }
  });
});
