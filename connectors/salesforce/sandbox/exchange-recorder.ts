/**
 * Optional middleware, first in the sandbox's chain, that hands each request with its answer to a recorder:
 * method, URL, headers and the raw body as the client sent them, and the status, headers and body answered.
 * It only observes: the body parsers further down read the request stream as before (its chunks are seen as
 * they are emitted, without a listener of its own that would start the stream early). A body no route read
 * (a request refused before parsing) is drained once the answer is sent, so every record is complete.
 * For contract tests (what unmodified jsforce sends, NOTES §2); never on by default.
 */

import type { NextFunction, Request, Response } from 'express';

export type RecordedExchange = {
  method: string;
  /** Path and query string as received. */
  url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  response: { status: number; headers: Record<string, string>; body: string };
};

export type ExchangeRecorder = (exchange: RecordedExchange) => void;

function flatHeaders(
  headers: Record<string, number | string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

const asBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');

export function recordExchanges(recorder: ExchangeRecorder) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestChunks: Buffer[] = [];
    const responseChunks: Buffer[] = [];
    const emit = req.emit.bind(req);
    req.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data') requestChunks.push(asBuffer(args[0]));
      return emit(event, ...args);
    }) as typeof req.emit;

    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
        responseChunks.push(asBuffer(chunk, rest[0]));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
        responseChunks.push(asBuffer(chunk, rest[0]));
      return (end as (...a: unknown[]) => Response)(chunk, ...rest);
    }) as typeof res.end;

    const url = req.originalUrl;
    const headers = flatHeaders(req.headers);
    res.once('finish', () => {
      const done = () =>
        recorder({
          method: req.method,
          url,
          headers,
          body: Buffer.concat(requestChunks).toString('utf8'),
          response: {
            status: res.statusCode,
            headers: flatHeaders(res.getHeaders()),
            body: Buffer.concat(responseChunks).toString('utf8'),
          },
        });
      if (req.readableEnded) done();
      else {
        req.once('end', done);
        req.resume();
      }
    });
    next();
  };
}
