/**
 * Our HubSpot signature verifiers against the vectors of ../shared/contracts/hubspot/NOTES.md §3 (v1: HubSpot's
 * published vector; v3: HubSpot publishes none, NOTES computes two with the same secret), and against the
 * rejections HubSpot's "Validating requests" page asks for: a changed body, another secret, a timestamp more
 * than 5 minutes old, and (ours) more than 5 minutes ahead.
 */
import crypto from 'node:crypto';
import {
  decodeSignedUri,
  HubSpotSignatureError,
  signatureV1,
  signatureV3,
  verifySignatureV1,
  verifySignatureV3,
  type SignedRequestV3,
} from '../../../cards/signatures';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const TS = '1700000000000';
const AT = 1_700_000_000_000;

function code(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof HubSpotSignatureError) return error.code;
    throw error;
  }
}

describe('published vectors (NOTES §3)', () => {
  it('v1: hex SHA-256 of secret + body is the documented signature', () => {
    expect(signatureV1(SECRET, BODY)).toBe(
      '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    );
    expect(signatureV1(SECRET, Buffer.from(BODY))).toBe(signatureV1(SECRET, BODY));
    expect(
      code(() =>
        verifySignatureV1(SECRET, {
          body: Buffer.from(BODY),
          signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
        }),
      ),
    ).toBeUndefined();
  });

  it('v3: a POST webhook with the v1 body', () => {
    const request = { method: 'POST', uri: 'https://www.example.com/webhook_uri', body: BODY, timestamp: TS };
    expect(signatureV3(SECRET, request)).toBe('/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=');
    expect(
      code(() =>
        verifySignatureV3(
          SECRET,
          { ...request, signature: '/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=' },
          AT,
        ),
      ),
    ).toBeUndefined();
  });

  it('v3: a GET with an encoded @ in the query is signed over the decoded URI', () => {
    const request = {
      method: 'GET',
      uri: 'https://crm-clv.example.com/hubspot/card?portalId=62515&email=a%40b.com',
      body: '',
      timestamp: TS,
    };
    expect(signatureV3(SECRET, request)).toBe('2ARk0CnyyQJnaIhOUnKaGO8d8Isz4fF7WbweFrTeiwM=');
    // The same URI as HubSpot signs it (decoded) gives the same signature.
    expect(signatureV3(SECRET, { ...request, uri: decodeSignedUri(request.uri) })).toBe(
      '2ARk0CnyyQJnaIhOUnKaGO8d8Isz4fF7WbweFrTeiwM=',
    );
    expect(
      code(() =>
        verifySignatureV3(
          SECRET,
          { ...request, signature: '2ARk0CnyyQJnaIhOUnKaGO8d8Isz4fF7WbweFrTeiwM=' },
          AT,
        ),
      ),
    ).toBeUndefined();
  });
});

describe('the v3 URI decoding table', () => {
  it('decodes exactly the twelve escapes HubSpot lists', () => {
    expect(decodeSignedUri('%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe(":/?@!$'()*,;");
  });

  it('leaves every other escape as sent, and never decodes twice', () => {
    expect(decodeSignedUri('a%20b%25c%2Bd%26e%3De%23')).toBe('a%20b%25c%2Bd%26e%3De%23');
    expect(decodeSignedUri('%253A')).toBe('%253A');
    // The table is upper-case; a lower-case escape is signed as sent.
    expect(decodeSignedUri('%3a%2f')).toBe('%3a%2f');
  });

  it('accepts a request whose URL carries encoded reserved characters HubSpot signed decoded', () => {
    const sentUri =
      'https://crm-clv.example.com/api/v1/cards/contact?portalId=62515&q=%28a%2Cb%29%3Bc%3Ad%2Fe%21';
    const signedBy = crypto
      .createHmac('sha256', SECRET)
      .update(`GEThttps://crm-clv.example.com/api/v1/cards/contact?portalId=62515&q=(a,b);c:d/e!${TS}`)
      .digest('base64');
    expect(
      code(() =>
        verifySignatureV3(
          SECRET,
          { method: 'GET', uri: sentUri, body: '', timestamp: TS, signature: signedBy },
          AT,
        ),
      ),
    ).toBeUndefined();
    // A space stays %20 in what is signed: a signer that decoded it signed another text.
    const decodedSpace = crypto
      .createHmac('sha256', SECRET)
      .update(`GEThttps://x.example/a b${TS}`)
      .digest('base64');
    expect(
      code(() =>
        verifySignatureV3(
          SECRET,
          { method: 'GET', uri: 'https://x.example/a%20b', body: '', timestamp: TS, signature: decodedSpace },
          AT,
        ),
      ),
    ).toBe('SIGNATURE_MISMATCH');
  });
});

describe('v3 rejections', () => {
  const signed = (): SignedRequestV3 => {
    const request = {
      method: 'POST',
      uri: 'https://www.example.com/webhook_uri',
      body: Buffer.from(BODY),
      timestamp: TS,
    };
    return { ...request, signature: signatureV3(SECRET, request) };
  };

  it('a body changed by one character', () => {
    const tampered = Buffer.from(BODY.replace('"objectId":123', '"objectId":124'));
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), body: tampered }, AT))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('another method, URL or timestamp than the one signed', () => {
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), method: 'PUT' }, AT))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(
      code(() => verifySignatureV3(SECRET, { ...signed(), uri: 'https://www.example.com/other' }, AT)),
    ).toBe('SIGNATURE_MISMATCH');
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), timestamp: String(AT + 1) }, AT))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('a signature made with another secret', () => {
    expect(code(() => verifySignatureV3('zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', signed(), AT))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });

  it('a timestamp more than 5 minutes old (exactly 5 minutes is still taken)', () => {
    expect(code(() => verifySignatureV3(SECRET, signed(), AT + 300_000))).toBeUndefined();
    expect(code(() => verifySignatureV3(SECRET, signed(), AT + 300_001))).toBe('SIGNATURE_TIMESTAMP_EXPIRED');
    expect(code(() => verifySignatureV3(SECRET, signed(), AT + 86_400_000))).toBe(
      'SIGNATURE_TIMESTAMP_EXPIRED',
    );
  });

  it('a timestamp more than 5 minutes in the future (exactly 5 minutes is still taken)', () => {
    expect(code(() => verifySignatureV3(SECRET, signed(), AT - 300_000))).toBeUndefined();
    expect(code(() => verifySignatureV3(SECRET, signed(), AT - 300_001))).toBe(
      'SIGNATURE_TIMESTAMP_IN_FUTURE',
    );
  });

  it('a missing or malformed signature or timestamp', () => {
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), signature: undefined }, AT))).toBe(
      'SIGNATURE_MISSING',
    );
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), signature: '' }, AT))).toBe(
      'SIGNATURE_MISSING',
    );
    expect(code(() => verifySignatureV3(SECRET, { ...signed(), timestamp: undefined }, AT))).toBe(
      'SIGNATURE_TIMESTAMP_MISSING',
    );
    for (const timestamp of ['1.7e12', '-1700000000000', ' 1700000000000', '17000000000000000'])
      expect(code(() => verifySignatureV3(SECRET, { ...signed(), timestamp }, AT))).toBe(
        'SIGNATURE_TIMESTAMP_INVALID',
      );
    expect(
      code(() => verifySignatureV3(SECRET, { ...signed(), signature: signed().signature!.slice(0, -2) }, AT)),
    ).toBe('SIGNATURE_MISMATCH');
  });

  it('compares with crypto.timingSafeEqual on buffers of equal length', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      const wrong = Buffer.from(signed().signature!).reverse().toString();
      expect(code(() => verifySignatureV3(SECRET, { ...signed(), signature: wrong }, AT))).toBe(
        'SIGNATURE_MISMATCH',
      );
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
      expect(a.length).toBe(44);
      expect(b.length).toBe(44);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('v1 rejections', () => {
  it('a tampered body, another secret, no signature', () => {
    const signature = signatureV1(SECRET, BODY);
    expect(code(() => verifySignatureV1(SECRET, { body: BODY.replace('123', '124'), signature }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(code(() => verifySignatureV1('other-secret', { body: BODY, signature }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(code(() => verifySignatureV1(SECRET, { body: BODY, signature: undefined }))).toBe(
      'SIGNATURE_MISSING',
    );
    expect(code(() => verifySignatureV1(SECRET, { body: BODY, signature: signature.toUpperCase() }))).toBe(
      'SIGNATURE_MISMATCH',
    );
  });
});
