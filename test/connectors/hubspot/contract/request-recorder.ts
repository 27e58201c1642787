/**
 * Express middleware put in front of the sandbox that records every request as the server saw it: method,
 * path, query keys and the status it answered. Recording can be paused while a test arranges data, so the
 * log holds only the connector's own requests.
 */
import type { NextFunction, Request, Response } from 'express';
import type { ObservedRequest } from './endpoint-match';

export type RequestRecorder = {
  middleware(req: Request, res: Response, next: NextFunction): void;
  requests: ObservedRequest[];
  paused: boolean;
};

export function createRequestRecorder(): RequestRecorder {
  const recorder: RequestRecorder = {
    requests: [],
    paused: false,
    middleware: (req, res, next) => {
      if (!recorder.paused) {
        // Keys from the raw URL: express's parsed `req.query` folds `a[b]=` into objects and would hide them.
        const keys = [...new URL(req.originalUrl, 'http://sandbox').searchParams.keys()];
        const queryKeys = [...new Set(keys)];
        res.on('finish', () =>
          recorder.requests.push({ method: req.method, path: req.path, queryKeys, status: res.statusCode }),
        );
      }
      next();
    },
  };
  return recorder;
}
