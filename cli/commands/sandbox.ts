/**
 * `crm-clv sandbox hubspot`: the local, faithful copy of HubSpot's CRM API (connectors/hubspot/sandbox), seeded
 * with a demo portal, in the foreground. Defaults are the demo defaults of ../shared/DESIGN.md.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { createHubSpotSandbox } from '../../connectors/hubspot/sandbox';
import { numberText } from '../options';

const SandboxOptions = z.object({
  port: numberText('port').refine((v) => Number.isInteger(v) && v >= 0 && v < 65536, 'port must be 0–65535'),
  seed: numberText('seed').refine((v) => Number.isInteger(v), 'seed must be a whole number'),
  contacts: numberText('contacts').refine(
    (v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000,
    'contacts must be a whole number from 1 to 1,000,000',
  ),
  rateLimit: numberText('rate-limit').refine((v) => Number.isInteger(v) && v >= 1, 'rate-limit must be ≥ 1'),
  token: z.string().min(1, 'token must not be empty'),
  portalId: z.string().regex(/^\d+$/, 'portal-id must be digits'),
});

export function sandboxCommand(): Command {
  const sandbox = new Command('sandbox').description(
    'Run a local sandbox of a CRM API (for tests and the demo).',
  );
  sandbox.addCommand(
    new Command('hubspot')
      .description(
        'Serve the HubSpot CRM v3/v4 sandbox on 127.0.0.1, seeded with a demo portal, until interrupted.',
      )
      .option(
        '--port <port>',
        'port on 127.0.0.1 (0 picks a free one)',
        process.env.HUBSPOT_SANDBOX_PORT ?? '4010',
      )
      .option('--seed <s>', 'seed of the demo portal', '42')
      .option('--contacts <n>', 'contacts to seed', '1000')
      .option('--rate-limit <n>', 'requests per rolling 10 seconds (110: OAuth app)', '110')
      .option(
        '--token <t>',
        'bearer token the sandbox accepts',
        process.env.HUBSPOT_SANDBOX_TOKEN ?? 'sandbox-token',
      )
      .option('--portal-id <id>', 'portal (tenant) id', process.env.HUBSPOT_SANDBOX_PORTAL_ID ?? '1000')
      .action(async (raw: Record<string, unknown>) => {
        const opts = SandboxOptions.parse(raw);
        const started = Date.now();
        const server = createHubSpotSandbox({
          token: opts.token,
          portalId: opts.portalId,
          seed: opts.seed,
          contacts: opts.contacts,
          rateLimit: { perTenSeconds: opts.rateLimit },
        });
        const running = await server.listen(opts.port);
        // The token is the caller's own demo value, but it is still not echoed: secrets never go to logs.
        process.stdout.write(
          `HubSpot sandbox for portal ${opts.portalId}: ${opts.contacts.toLocaleString('en-US')} contacts (seed ${opts.seed}) ` +
            `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s, listening on ${running.url} ` +
            `(${opts.rateLimit} requests / 10 s). Ctrl-C stops it.\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            running.close().then(resolve, resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      }),
  );
  return sandbox;
}
