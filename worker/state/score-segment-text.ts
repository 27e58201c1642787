/**
 * A stored Score's customer id and segment id read straight from its JSON bytes, without parsing the Score:
 * the previous run's segments are all a rescore needs of its ~1.7 KB Scores, and at a million customers
 * parsing them whole cost ~50 s (most of it the collector, next to the tenant's orders in the heap).
 *
 * Only the layout JSON.stringify gives a Score is read here: the object opens with its customer id, and
 * `"segmentId"` is a key of the outer object, ahead of any nested array or object. In JSON text a quote
 * inside a string is always escaped, so `,"segmentId":"` (a comma, then an unescaped quote) can only open
 * a key; it is taken only before the first '[' or '{' after the opening brace, so it is the outer object's.
 * Anything else (an escape in either id, no segment id, another layout) answers undefined and the caller
 * parses the Score. The rest of the Score is not looked at: it is checked where the Scores themselves are read.
 */
const CUSTOMER = Buffer.from('{"customerId":"');
const SEGMENT = Buffer.from(',"segmentId":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BRACKET = 0x5b;
const BRACE = 0x7b;

export function segmentFromScoreJson(bytes: Buffer): { customerId: string; segmentId: string } | undefined {
  if (bytes.length < CUSTOMER.length || bytes.compare(CUSTOMER, 0, CUSTOMER.length, 0, CUSTOMER.length) !== 0)
    return undefined;
  const customerId = plainString(bytes, CUSTOMER.length);
  if (customerId === undefined) return undefined;
  const key = bytes.indexOf(SEGMENT, customerId.end);
  if (key < 0 || nestedBefore(bytes, key)) return undefined;
  const segmentId = plainString(bytes, key + SEGMENT.length);
  if (segmentId === undefined) return undefined;
  return { customerId: customerId.text, segmentId: segmentId.text };
}

/** The non-empty string value opening at `start` up to its closing quote, when it has no escape. */
function plainString(bytes: Buffer, start: number): { text: string; end: number } | undefined {
  const end = bytes.indexOf(QUOTE, start);
  if (end <= start) return undefined;
  const escape = bytes.indexOf(BACKSLASH, start);
  if (escape >= 0 && escape < end) return undefined;
  return { text: bytes.toString('utf8', start, end), end };
}

function nestedBefore(bytes: Buffer, at: number): boolean {
  const bracket = bytes.indexOf(BRACKET, 1);
  const brace = bytes.indexOf(BRACE, 1);
  return (bracket >= 0 && bracket < at) || (brace >= 0 && brace < at);
}
