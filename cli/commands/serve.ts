/**
 * `crm-clv serve [--port P]`: the web process (cards/server.ts): health, readiness, metrics, the read-only
 * queue board and the OAuth install. It starts whether or not Redis answers (then /ready says 503), logs where
 * to look without printing any secret, and on SIGTERM or SIGINT stops taking connections, lets requests in
 * flight finish (at most --grace-seconds), then closes the queues and Redis and exits 0.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { z } from 'zod';
import { createLogger } from '../../cards/http/request-log';
import { createServer } from '../../cards/server';
import { numberText } from '../options';

const ServeOptions = z.object({
  port: numberText('port').refine(
    (v) => Number.isInteger(v) && v >= 0 && v < 65536,
    'port must be a whole number from 0 to 65535 (0 picks a free one)',
  ),
  host: z.string().trim().min(1, 'host must not be empty').optional(),
  dataDir: z.string().trim().min(1, 'data-dir must be a directory'),
  graceSeconds: numberText('grace-seconds').refine(
    (v) => v >= 0 && v <= 600,
    'grace-seconds must be from 0 to 600',
  ),
});

function listen(server: Server, port: number, host: string | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} is in use: stop what holds it or pass another --port (or PORT)`
            : `cannot listen on port ${port}: ${error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
    if (host === undefined) server.listen(port);
    else server.listen(port, host);
  });
}

/** Stops accepting, closes idle keep-alive connections at once and busy ones after `graceMs`. */
function closeHttp(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'Run the web process: the signed contact card API, /dashboard and /admin/queues (HTTP Basic), /health, /ready, /metrics, the HubSpot OAuth install and webhooks.',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one; default PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: every interface)')
    .option('--data-dir <dir>', 'record store directory, where OAuth installs store tokens', 'data')
    .option('--grace-seconds <s>', 'on SIGTERM, how long requests in flight may finish', '10')
    .action(async (raw: Record<string, unknown>) => {
      const opts = ServeOptions.parse({ ...raw, port: raw.port ?? process.env.PORT ?? '3000' });
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      // Request and webhook logs as JSON lines (pino), without headers, bodies or query strings.
      const logger = createLogger({ level: process.env.LOG_LEVEL || 'info' });
      const cards = createServer({ dataDir: opts.dataDir, log, logger });
      const server = createHttpServer(cards.handler);
      let address: AddressInfo;
      try {
        address = await listen(server, opts.port, opts.host);
      } catch (error) {
        await cards.close();
        throw error;
      }

      const shown =
        opts.host === undefined || opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
      const base = `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`;
      const { status } = cards;
      log(
        `crm-clv serve ${process.pid} listening on ${base} (port ${address.port}); Ctrl-C or SIGTERM stops it`,
      );
      log(`  health   ${base}/health   ready ${base}/ready (Redis at ${status.redis})`);
      log(`  metrics  ${base}/metrics`);
      log(
        status.admin === 'on'
          ? `  admin    ${base}/admin/queues (read-only; HTTP Basic: CRM_CLV_ADMIN_USER, CRM_CLV_ADMIN_PASSWORD)`
          : `  admin    ${base}/admin/queues is closed: set CRM_CLV_ADMIN_PASSWORD to open it`,
      );
      log(
        status.oauth === 'on'
          ? `  oauth    ${base}/oauth/install (tokens under ${opts.dataDir})`
          : `  oauth    ${base}/oauth/install answers 503: ${status.oauth.message}`,
      );
      log(
        status.signatures === 'on'
          ? `  webhooks ${base}/webhooks/hubspot (signed v3 or v1 with HUBSPOT_CLIENT_SECRET)`
          : `  webhooks ${base}/webhooks/hubspot answers 503: ${status.signatures.message}`,
      );

      log(
        status.signatures === 'on'
          ? `  cards    ${base}/api/v1/cards/contact?portalId=&objectId= (signed v3; POST form and /actions too)`
          : `  cards    ${base}/api/v1/cards/contact answers 503: ${status.signatures.message}`,
      );
      log(
        status.admin === 'on'
          ? `  dashboard ${base}/dashboard?tenant=hubspot-<portal> (HTTP Basic: CRM_CLV_ADMIN_USER, CRM_CLV_ADMIN_PASSWORD)`
          : `  dashboard ${base}/dashboard is closed: set CRM_CLV_ADMIN_PASSWORD to open it`,
      );

      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          log(`${signal}: closing (requests in flight get at most ${opts.graceSeconds} s)…`);
          closeHttp(server, opts.graceSeconds * 1000)
            .then(() => cards.close())
            .then(() => log('stopped'))
            .finally(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
