/**
 * The v3 signature's URI decoding (NOTES §3, HubSpot "Validating requests from HubSpot"): HubSpot signs the
 * request URI with exactly these percent-encodings decoded and every other one left as sent. One pass, so an
 * encoded percent (`%25`) is never decoded into a new escape: `%253A` stays `%253A`. The table names upper-case
 * escapes only, and so does this (a lower-case `%3a` is signed as sent).
 */
const V3_DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

const ESCAPES = /%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/g;

/**
 * The URI as HubSpot signs it in v3.
 * Example: decodeSignedUri('https://x.example/card?email=a%40b.com') → 'https://x.example/card?email=a@b.com'.
 */
export function decodeSignedUri(uri: string): string {
  return uri.replace(ESCAPES, (escape) => V3_DECODED[escape]);
}
