/**
 * Structured request logs (pino): one line per answered request with the method, the route pattern (the same
 * label /metrics uses, never the raw URL, whose query may carry an email), the status and the time taken.
 * Headers, bodies and query strings are never logged, so no signature, token or secret can reach a log; the
 * logger's redact list covers the names anyway, should someone add a field later.
 */
import type { RequestHandler } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers',
  'headers',
  'authorization',
  'clientSecret',
  'secret',
  'token',
  'signature',
  '*.authorization',
  '*.clientSecret',
  '*.secret',
  '*.token',
  '*.signature',
];

/** The server's logger: JSON lines on stdout (or `destination`), level LOG_LEVEL or info. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const config = { level: options.level ?? 'info', base: { service: 'crm-clv-web' }, redact: REDACTED_PATHS };
  return options.destination ? pino(config, options.destination) : pino(config);
}

export type RequestLine = { method: string; route: string; status: number | 'aborted'; ms: number };

/** One answered request's line: errors (5xx) at error level, the rest at info. */
export function logRequest(logger: Logger, line: RequestLine): void {
  const rounded = { ...line, ms: Math.round(line.ms * 10) / 10 };
  if (typeof line.status === 'number' && line.status >= 500) logger.error(rounded, 'request');
  else logger.info(rounded, 'request');
}

export function requestLog(
  logger: Logger,
  routeLabel: (req: Parameters<RequestHandler>[0]) => string,
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.writableFinished ? res.statusCode : 'aborted';
      logRequest(logger, { method: req.method, route: routeLabel(req), status, ms });
    });
    next();
  };
}
