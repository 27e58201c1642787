/**
 * `crm-clv sandbox hubspot`: the local, faithful copy of HubSpot's CRM API (connectors/hubspot/sandbox), seeded
 * with a demo portal, in the foreground. Defaults are the demo defaults of ../shared/DESIGN.md. For fault tests
 * run from a shell: `--journal FILE` appends one NDJSON line per object each accepted write touched, and
 * `--server-error-rate`, `--latency-ms`, `--rate-limit-storm` switch on the sandbox's fault injection.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { createFileJournal, createHubSpotSandbox } from '../../connectors/hubspot/sandbox';
import {
  createFileJournal as createSalesforceJournal,
  createSalesforceSandbox,
} from '../../connectors/salesforce/sandbox';
import { CliOptionError } from '../errors';
import { numberText } from '../options';

const wholeNumber = (what: string, min: number, max: number, unit = '') =>
  numberText(what).refine(
    (v) => Number.isInteger(v) && v >= min && v <= max,
    `${what} must be a whole number${unit} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`,
  );

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
  journal: z.string().trim().min(1, 'journal must be a file path').optional(),
  serverErrorRate: numberText('server-error-rate').refine(
    (v) => v >= 0 && v <= 1,
    'server-error-rate must be a probability from 0 to 1 (e.g. 0.1 answers about 1 request in 10 with 502)',
  ),
  latencyMs: wholeNumber('latency-ms', 0, 60_000, ' of milliseconds'),
  rateLimitStorm: wholeNumber('rate-limit-storm', 0, 1_000_000, ' of requests'),
});

/** Opens the journal before the sandbox listens, so a bad path fails at start, not at the first write. */
function openJournal<J extends { close(): void }>(file: string, open: (file: string) => J): J {
  try {
    return open(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliOptionError(
      `--journal: cannot append to ${file} (${code}); is its directory there and writable?`,
    );
  }
}

/** The fault flags both sandboxes take; what an injected error or a storm answers is the CRM's own. */
function withFaultOptions(command: Command, answers: { error: string; storm: string }): Command {
  return command
    .option(
      '--server-error-rate <r>',
      `probability 0–1 that a request answers ${answers.error} (seeded: reproducible)`,
      '0',
    )
    .option('--latency-ms <ms>', 'delay before every answer, in milliseconds', '0')
    .option('--rate-limit-storm <n>', `the first N requests answer ${answers.storm}`, '0');
}

/** The options both sandboxes take: where they listen, what they seed, the token they accept, the journal. */
function withSeedOptions(
  command: Command,
  defaults: {
    portEnv?: string;
    port: string;
    seed: string;
    tokenEnv?: string;
    token: string;
    journal: string;
  },
): Command {
  return command
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', defaults.portEnv ?? defaults.port)
    .option('--seed <s>', defaults.seed, '42')
    .option('--contacts <n>', 'contacts to seed', '1000')
    .option('--token <t>', defaults.token, defaults.tokenEnv ?? 'sandbox-token')
    .option('--journal <file>', defaults.journal);
}

/** Serves until Ctrl-C or SIGTERM, then closes the server and the journal. */
async function serveUntilStopped(running: { close(): Promise<void> }, journal?: { close(): void }) {
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  journal?.close();
}

export function sandboxCommand(): Command {
  const sandbox = new Command('sandbox').description(
    'Run a local sandbox of a CRM API (for tests and the demo).',
  );
  const hubspot = withFaultOptions(
    withSeedOptions(
      new Command('hubspot').description(
        'Serve the HubSpot CRM v3/v4 sandbox on 127.0.0.1, seeded with a demo portal, until interrupted.',
      ),
      {
        portEnv: process.env.HUBSPOT_SANDBOX_PORT,
        port: '4010',
        seed: 'seed of the demo portal',
        tokenEnv: process.env.HUBSPOT_SANDBOX_TOKEN,
        token: 'bearer token the sandbox accepts',
        journal:
          'append one NDJSON line per object each accepted write created, changed or archived (time, method, path, object id, values)',
      },
    )
      .option('--rate-limit <n>', 'requests per rolling 10 seconds (110: OAuth app)', '110')
      .option('--portal-id <id>', 'portal (tenant) id', process.env.HUBSPOT_SANDBOX_PORTAL_ID ?? '1000'),
    { error: '502', storm: '429 TEN_SECONDLY_ROLLING with the rate-limit headers' },
  ).action(async (raw: Record<string, unknown>) => {
    const opts = SandboxOptions.parse(raw);
    const started = Date.now();
    const journal = opts.journal === undefined ? undefined : openJournal(opts.journal, createFileJournal);
    const server = createHubSpotSandbox({
      token: opts.token,
      portalId: opts.portalId,
      seed: opts.seed,
      contacts: opts.contacts,
      rateLimit: { perTenSeconds: opts.rateLimit },
      faults: {
        serverErrorRate: opts.serverErrorRate,
        latencyMs: opts.latencyMs,
        rateLimitStorm: opts.rateLimitStorm,
      },
      journal: journal?.write,
    });
    const running = await server.listen(opts.port);
    const faults = [
      opts.serverErrorRate > 0 ? `502 for ${opts.serverErrorRate * 100}% of requests` : '',
      opts.latencyMs > 0 ? `${opts.latencyMs} ms latency` : '',
      opts.rateLimitStorm > 0 ? `429 for the first ${opts.rateLimitStorm} requests` : '',
    ].filter((f) => f !== '');
    // The token is the caller's own demo value, but it is still not echoed: secrets never go to logs.
    process.stdout.write(
      `HubSpot sandbox for portal ${opts.portalId}: ${opts.contacts.toLocaleString('en-US')} contacts (seed ${opts.seed}) ` +
        `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s, listening on ${redactUrl(running.url)} ` +
        `(${opts.rateLimit} requests / 10 s). ` +
        (faults.length > 0 ? `Faults: ${faults.join(', ')}. ` : '') +
        (opts.journal === undefined ? '' : `Journal: ${opts.journal}. `) +
        'Ctrl-C stops it.\n',
    );
    await serveUntilStopped(running, journal);
  });
  sandbox.addCommand(hubspot);
  sandbox.addCommand(salesforceCommand());
  return sandbox;
}

const SalesforceOptions = SandboxOptions.omit({ rateLimit: true, portalId: true }).extend({
  orgId: z
    .string()
    .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'org-id must be a Salesforce org id (00D…)'),
});

/** `crm-clv sandbox salesforce`: the local Salesforce org (connectors/salesforce/sandbox), same demo customers. */
function salesforceCommand(): Command {
  const command = withSeedOptions(
    new Command('salesforce').description(
      'Serve the Salesforce REST sandbox (jsforce-compatible) on 127.0.0.1, seeded with the demo org, until interrupted.',
    ),
    {
      portEnv: process.env.SALESFORCE_SANDBOX_PORT,
      port: '4020',
      seed: 'seed of the demo org (same seed = same customers as the HubSpot sandbox)',
      tokenEnv: process.env.SALESFORCE_SANDBOX_TOKEN,
      token: 'bearer access token the sandbox accepts',
      journal: 'append one NDJSON line per record each accepted write created, changed or deleted',
    },
  ).option('--org-id <id>', 'org (tenant) id', process.env.SALESFORCE_SANDBOX_ORG_ID ?? '00D000000000001AAA');
  return withFaultOptions(command, { error: '503', storm: '403 REQUEST_LIMIT_EXCEEDED' }).action(
    async (raw: Record<string, unknown>) => {
      const opts = SalesforceOptions.parse(raw);
      const started = Date.now();
      const journal =
        opts.journal === undefined ? undefined : openJournal(opts.journal, createSalesforceJournal);
      const server = createSalesforceSandbox({
        token: opts.token,
        orgId: opts.orgId,
        seed: opts.seed,
        contacts: opts.contacts,
        faults: {
          serverErrorRate: opts.serverErrorRate,
          latencyMs: opts.latencyMs,
          rateLimitStorm: opts.rateLimitStorm,
        },
        journal: journal?.write,
      });
      const running = await server.listen(opts.port);
      const counts = [
        'Contact',
        'Account',
        'Opportunity',
        'OpportunityLineItem',
        'Case',
        'Task',
        'Event',
        'Campaign',
        'CampaignMember',
      ]
        .map((type) => `${server.store.records.get(type)!.size.toLocaleString('en-US')} ${type}`)
        .join(', ');
      // The token is the caller's own value (given or the demo default), printed so jsforce can be pointed at it.
      process.stdout.write(
        `Salesforce sandbox for org ${opts.orgId} (seed ${opts.seed}) seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts}.\n` +
          `instanceUrl ${running.url}  accessToken ${opts.token}  version 62.0. ` +
          (opts.journal === undefined ? '' : `Journal: ${opts.journal}. `) +
          'Ctrl-C stops it.\n',
      );
      await serveUntilStopped(running, journal);
    },
  );
}
