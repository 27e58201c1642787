/**
 * `crm-clv tenant add|list|spend|remove`: the CRM accounts the worker keeps fresh (worker/tenants). A private-app
 * token is stored encrypted under CRM_CLV_TOKEN_KEY and never printed; listings show the connection without it.
 * The registry is Redis when REDIS_URL is set (the worker's), else `<data-dir>/tenants.json`.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { tokenKeyFromEnv } from '../../connectors/hubspot/oauth/token-key';
import { redactUrl } from '../../connectors/hubspot/redact-url';
import { crmTenantId } from '../../domain/tenant';
import { connectClient, queuePrefix, redisForClient } from '../../worker/queue/redis-connection';
import { describeScheduleChanges, syncTenantSchedules } from '../../worker/queue/tenant-schedules';
import { DEFAULT_REDIS_PREFIX } from '../../worker/state/redis-record-store';
import { readAcquisitionSpend } from '../../worker/pipeline/acquisition-spend-file';
import {
  ACCOUNT_TIERS,
  baseUrlProblem,
  cronPattern,
  DEFAULT_SCHEDULE,
  openTenantRegistry,
  TenantRegistryCorruptError,
  type OpenedTenantRegistry,
  type TenantConnection,
  type TenantRegistry,
} from '../../worker/tenants';
import { CliOptionError } from '../errors';
import {
  SalesforceConnectionOptions,
  salesforceDefaults,
  salesforceSecretOf,
  withSalesforceConnectionOptions,
} from '../salesforce-connection';
import { encodeSalesforceSecret, tenantAuthOf } from '../../worker/tenants/salesforce-secret';

const REGISTRY_HELP = `
Registry: with REDIS_URL set, the Redis HASH <prefix>:tenants (--redis-prefix, default CRM_CLV_REDIS_PREFIX
or ${DEFAULT_REDIS_PREFIX}; the worker's registry); otherwise <data-dir>/tenants.json. Tokens are stored encrypted
under CRM_CLV_TOKEN_KEY (32 bytes, e.g. \`openssl rand -base64 32\`) and never printed.`;

const RegistryOptions = z.object({
  dataDir: z.string().trim().min(1, 'must be a directory'),
  redisPrefix: z
    .string()
    .trim()
    .default(() => process.env.CRM_CLV_REDIS_PREFIX || DEFAULT_REDIS_PREFIX),
});

const AddOptions = RegistryOptions.extend({
  crm: z.enum(['hubspot'], { message: "must be 'hubspot' or 'salesforce'" }),
  portalId: z
    .string({ required_error: 'is required for HubSpot (the portal id; the tenant is hubspot-<id>)' })
    .trim()
    .regex(/^\d{1,20}$/, 'must be digits (the HubSpot portal id)'),
  baseUrl: z.string().trim().optional(),
  token: z.string().optional(),
  auth: z
    .enum(['token', 'private', 'oauth'], { message: "must be 'token' (a private-app token) or 'oauth'" })
    .transform((auth) => (auth === 'oauth' ? 'oauth' : 'token')),
  tier: z.enum(ACCOUNT_TIERS, { message: `must be one of ${ACCOUNT_TIERS.join(', ')}` }).optional(),
  syncEveryMinutes: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, 'must be a whole number of minutes from 1 to 1440 (a day)')
    .transform(Number)
    .refine((v) => v >= 1 && v <= 1440, 'must be a whole number of minutes from 1 to 1440 (a day)'),
  rescoreCron: cronPattern,
  retrainCron: cronPattern,
  ownerTasks: z.boolean().default(false),
});
type AddValues = z.infer<typeof AddOptions>;

/** Options parsed with `schema`; a problem is named by its option (`--portal-id: must be digits`). */
function parseOptions<T extends z.ZodTypeAny>(schema: T, raw: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const option = String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new CliOptionError(`--${option}: ${issue.message}`);
}

function withRegistryOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'directory of the file registry, tenants.json (when REDIS_URL is not set)',
      'data',
    )
    .option(
      '--redis-prefix <prefix>',
      `Redis key prefix when REDIS_URL is set (default: CRM_CLV_REDIS_PREFIX or ${DEFAULT_REDIS_PREFIX})`,
    )
    .addHelpText('after', REGISTRY_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** Opens the registry the environment asks for, runs `use`, and always closes it. */
async function withRegistry<T>(
  raw: Record<string, unknown>,
  use: (opened: OpenedTenantRegistry, redisPrefix: string) => Promise<T>,
  key?: Buffer,
): Promise<T> {
  const opts = parseOptions(RegistryOptions, raw);
  const opened = await openTenantRegistry({
    dataDir: opts.dataDir,
    redisUrl: process.env.REDIS_URL,
    redisPrefix: opts.redisPrefix,
    key,
  });
  try {
    return await use(opened, opts.redisPrefix);
  } finally {
    await opened.close();
  }
}

/**
 * With the Redis registry, the worker's schedules (the `schedule` queue under the same prefix) are made those
 * of the registry right away, not at the worker's next start. The file registry has no worker to schedule for.
 */
async function applySchedules(registry: TenantRegistry, redisPrefix: string): Promise<string> {
  const url = process.env.REDIS_URL?.trim() ?? '';
  if (url === '') return '';
  const redis = await connectClient(redisForClient(url), url);
  try {
    const prefix = queuePrefix(redisPrefix);
    const changes = await syncTenantSchedules({ connection: redis, prefix, registry });
    return `Schedules (queue ${prefix}:schedule): ${describeScheduleChanges(changes)}.\n`;
  } finally {
    redis.disconnect();
  }
}

/** The token and auth to register, from the options and HUBSPOT_ACCESS_TOKEN; the token is never echoed. */
function credentialsOf(opts: AddValues): { auth: 'token' | 'oauth'; token?: string } {
  if (opts.auth === 'oauth') {
    if (opts.token !== undefined)
      throw new CliOptionError(
        "--token and --auth oauth exclude each other: an OAuth tenant uses the installed app's tokens",
      );
    if (opts.tier !== undefined)
      throw new CliOptionError(
        '--tier is the account tier of a private-app token; OAuth apps have their own limit',
      );
    return { auth: 'oauth' };
  }
  const token = (opts.token ?? process.env.HUBSPOT_ACCESS_TOKEN ?? '').trim();
  if (token === '')
    throw new CliOptionError(
      'no token: set HUBSPOT_ACCESS_TOKEN or pass --token (a private-app token), ' +
        'or use --auth oauth for a portal where the app is installed',
    );
  if (/\s/.test(token)) throw new CliOptionError('the token must not contain spaces or line breaks');
  return { auth: 'token', token };
}

/** The tenant as it is stored now; a corrupt entry counts as absent, since adding it again replaces it. */
async function existingTenant(
  registry: TenantRegistry,
  tenant: string,
): Promise<TenantConnection | undefined> {
  try {
    return await registry.get(tenant);
  } catch (error) {
    if (error instanceof TenantRegistryCorruptError && error.tenant === tenant) return undefined;
    throw error;
  }
}

const SalesforceAddOptions = AddOptions.pick({
  syncEveryMinutes: true,
  rescoreCron: true,
  retrainCron: true,
  ownerTasks: true,
}).extend({
  orgId: z
    .string({ required_error: 'is required for Salesforce (the org id 00D…, the tenant salesforce-<id>)' })
    .trim()
    .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'must be a Salesforce org id (00D…)'),
  bulkThreshold: z.coerce
    .number({ message: 'must be a number of rows' })
    .int('must be a whole number of rows')
    .nonnegative('must be 0 or more')
    .optional(),
});

/**
 * `tenant add --crm salesforce --org-id ID --instance-url URL [--token T | --auth refresh|jwt …]`: the org's
 * credentials (cli/salesforce-connection.ts) sealed as one secret (worker/tenants/salesforce-secret.ts), the
 * instance URL in the clear as the tenant's base URL.
 */
async function addSalesforce(raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(SalesforceAddOptions, raw);
  if (opts.ownerTasks)
    throw new CliOptionError(
      '--owner-tasks is not available for Salesforce yet (a Flow on CLV_Churn_Risk__c can create them)',
    );
  const connection = parseOptions(
    SalesforceConnectionOptions,
    salesforceDefaults({ ...raw, crm: 'salesforce', dataDir: raw.dataDir ?? 'data' }, false),
  );
  const secret = salesforceSecretOf(connection);
  const instanceUrl = connection.instanceUrl;
  const problem = instanceUrl === undefined ? undefined : baseUrlProblem(instanceUrl);
  if (problem !== undefined) throw new CliOptionError(`--instance-url: ${problem}`);
  const tenant = crmTenantId('salesforce', opts.orgId);
  const key = tokenKeyFromEnv();
  await withRegistry(
    raw,
    async ({ registry, location }, redisPrefix) => {
      const existing = await existingTenant(registry, tenant);
      const entry: TenantConnection = {
        tenant,
        crm: 'salesforce',
        accountId: opts.orgId,
        ...(instanceUrl === undefined ? {} : { baseUrl: instanceUrl }),
        auth: tenantAuthOf(secret),
        ...(connection.currency === undefined ? {} : { currency: connection.currency }),
        ...(opts.bulkThreshold === undefined ? {} : { bulkThreshold: opts.bulkThreshold }),
        schedule: {
          syncEveryMinutes: opts.syncEveryMinutes,
          rescoreCron: opts.rescoreCron,
          retrainCron: opts.retrainCron,
        },
        ...keptSettings(existing),
        addedAt: existing?.addedAt ?? new Date().toISOString(),
      };
      await registry.put(entry, encodeSalesforceSecret(secret));
      process.stdout.write(
        `${existing === undefined ? 'Added' : 'Updated'} tenant ${tenant}: Salesforce org ${opts.orgId}` +
          `${instanceUrl === undefined ? '' : ` at ${redactUrl(instanceUrl)}`}, ${describeAuth(entry)}; ` +
          `${describeSchedule(entry)} (UTC). Registry: ${location}.\n`,
      );
      process.stdout.write(await applySchedules(registry, redisPrefix));
    },
    key,
  );
}

/** Settings set by their own commands (`tenant spend`) outlive a `tenant add` that replaces the connection. */
function keptSettings(existing: TenantConnection | undefined): Partial<TenantConnection> {
  return existing?.acquisitionSpend === undefined ? {} : { acquisitionSpend: existing.acquisitionSpend };
}

function addCommand(): Command {
  return withRegistryOptions(
    withSalesforceConnectionOptions(new Command('add'))
      .description('Register a CRM account (a tenant), or replace its connection and schedule.')
      .requiredOption('--crm <crm>', 'hubspot | salesforce')
      .option('--portal-id <id>', 'HubSpot portal id; the tenant is hubspot-<id>')
      .option(
        '--base-url <url>',
        'API base URL when not HubSpot itself, e.g. the sandbox http://127.0.0.1:4010 (no credentials in it)',
      )
      .option(
        '--token <token>',
        'private-app token (default: HUBSPOT_ACCESS_TOKEN; prefer the variable: arguments show in ps and shell history)',
      )
      .option(
        '--auth <kind>',
        "HubSpot: token (a private-app token) | oauth (the installed app's tokens); " +
          "Salesforce: token (SALESFORCE_ACCESS_TOKEN) | refresh | jwt (the connected app's credentials)",
        'token',
      )
      .option(
        '--tier <tier>',
        'private-app account tier for the rate limiter: free | starter | professional | enterprise',
      )
      .option(
        '--sync-every-minutes <n>',
        'incremental sync interval',
        String(DEFAULT_SCHEDULE.syncEveryMinutes),
      )
      .option(
        '--bulk-threshold <rows>',
        "Salesforce: the worker's syncs read objects with more rows than this through Bulk API 2.0 (default 10000)",
      )
      .option('--rescore-cron <pattern>', 'rescoring schedule, cron in UTC', DEFAULT_SCHEDULE.rescoreCron)
      .option('--retrain-cron <pattern>', 'retraining schedule, cron in UTC', DEFAULT_SCHEDULE.retrainCron)
      .option(
        '--owner-tasks',
        "write-back also creates a task for the contact's owner when a top-20%-CLV customer turns high churn risk " +
          '(one per customer per high-risk episode; off unless given)',
      ),
  ).action(async (raw: Record<string, unknown>) => {
    if (raw.crm === 'salesforce') return addSalesforce(raw);
    const opts = parseOptions(AddOptions, raw);
    const { auth, token } = credentialsOf(opts);
    const problem = opts.baseUrl === undefined ? undefined : baseUrlProblem(opts.baseUrl);
    if (problem !== undefined) throw new CliOptionError(`--base-url: ${problem}`);
    const tenant = crmTenantId(opts.crm, opts.portalId);
    // The key is checked before anything is opened or written: a missing key must not cost a half-done add.
    const key = auth === 'token' ? tokenKeyFromEnv() : undefined;
    await withRegistry(
      raw,
      async ({ registry, location }, redisPrefix) => {
        const existing = await existingTenant(registry, tenant);
        const connection: TenantConnection = {
          tenant,
          crm: opts.crm,
          accountId: opts.portalId,
          ...(opts.baseUrl === undefined ? {} : { baseUrl: opts.baseUrl }),
          auth,
          ...(opts.tier === undefined ? {} : { tier: opts.tier }),
          schedule: {
            syncEveryMinutes: opts.syncEveryMinutes,
            rescoreCron: opts.rescoreCron,
            retrainCron: opts.retrainCron,
          },
          ...(opts.ownerTasks ? { ownerTasks: { enabled: true } } : {}),
          ...keptSettings(existing),
          addedAt: existing?.addedAt ?? new Date().toISOString(),
        };
        await registry.put(connection, token);
        process.stdout.write(
          `${existing === undefined ? 'Added' : 'Updated'} tenant ${tenant}: HubSpot portal ${opts.portalId}` +
            `${connection.baseUrl === undefined ? '' : ` at ${redactUrl(connection.baseUrl)}`}, ${describeAuth(connection)}; ` +
            `${describeSchedule(connection)} (UTC); ${describeOwnerTasks(connection)}. Registry: ${location}.\n`,
        );
        process.stdout.write(await applySchedules(registry, redisPrefix));
      },
      key,
    );
  });
}

function listCommand(): Command {
  return withRegistryOptions(
    new Command('list')
      .description('List the registered tenants: connection and schedule, never the token.')
      .option('--json', 'print a JSON array of the connections'),
  ).action(async (raw: Record<string, unknown>) => {
    await withRegistry(raw, async ({ registry, location }) => {
      // Base URLs are checked for credentials when registered; masked here too, whatever was stored.
      const tenants = (await registry.list()).map((t) =>
        t.baseUrl === undefined ? t : { ...t, baseUrl: redactUrl(t.baseUrl) },
      );
      if (raw.json === true) {
        process.stdout.write(`${JSON.stringify(tenants, null, 2)}\n`);
        return;
      }
      if (tenants.length === 0) {
        process.stdout.write(
          `No tenants registered in ${location}. Add one: crm-clv tenant add --crm hubspot --portal-id ID\n`,
        );
        return;
      }
      process.stdout.write(
        `${renderTable(tenants)}${tenants.length} tenant${tenants.length === 1 ? '' : 's'} in ${location}.\n`,
      );
    });
  });
}

const SpendOptions = z.object({
  tenant: z.string().trim().min(1, 'must not be empty'),
  file: z.string().trim().min(1, 'must be a CSV file').optional(),
  clear: z.boolean().default(false),
});

/**
 * `tenant spend --tenant T --file spend.csv | --clear`: the tenant's acquisition spend, checked whole by the
 * CLI's own parser (every bad line named, nothing stored) and kept in its registry entry; the worker reads it
 * at each score run's commit for the stored sales-performance report (CAC, CLV:CAC, payback).
 */
function spendCommand(): Command {
  return withRegistryOptions(
    new Command('spend')
      .description(
        "Set a tenant's acquisition spend (CSV channel,month,spend) for the CAC of the worker's sales-performance report.",
      )
      .requiredOption('--tenant <tenant>', 'tenant id, e.g. hubspot-1000 (see crm-clv tenant list)')
      .option(
        '--file <spend.csv>',
        "CSV with the header channel,month,spend (month YYYY-MM, spend ≥ 0 in the tenant's run currency)",
      )
      .option('--clear', "remove the tenant's spend (channels then have CLV but no CAC)"),
  ).action(async (raw: Record<string, unknown>) => {
    const opts = parseOptions(SpendOptions, raw);
    if ((opts.file === undefined) === !opts.clear)
      throw new CliOptionError('give either --file spend.csv or --clear');
    // Read and checked before the registry is opened: a bad file changes nothing.
    const spend = opts.file === undefined ? undefined : await readAcquisitionSpend(opts.file);
    await withRegistry(raw, async ({ registry, location }) => {
      const updated = await registry.updateSettings(opts.tenant, { acquisitionSpend: spend });
      process.stdout.write(
        `${spend === undefined ? 'Cleared the acquisition spend of' : 'Set the acquisition spend of'} ${updated.tenant}` +
          `${spend === undefined ? '' : `: ${describeSpend(updated)}`}. Registry: ${location}. ` +
          "The worker's next score run uses it.\n",
      );
    });
  });
}

function removeCommand(): Command {
  return withRegistryOptions(
    new Command('remove')
      .description('Remove a tenant from the registry (its synced records and scores are kept).')
      .requiredOption('--tenant <tenant>', 'tenant id, e.g. hubspot-1000 (see crm-clv tenant list)'),
  ).action(async (raw: Record<string, unknown>) => {
    const { tenant } = parseOptions(z.object({ tenant: z.string().trim().min(1, 'must not be empty') }), raw);
    await withRegistry(raw, async ({ registry, location }, redisPrefix) => {
      if (!(await registry.remove(tenant)))
        throw new CliOptionError(
          `no tenant '${tenant}' is registered in ${location}; \`crm-clv tenant list\` shows them`,
        );
      process.stdout.write(
        `Removed tenant ${tenant} from ${location}. Its synced records, scores and OAuth tokens, if any, are kept.\n`,
      );
      process.stdout.write(await applySchedules(registry, redisPrefix));
    });
  });
}

function describeAuth(t: TenantConnection): string {
  if (t.auth === 'oauth') return "OAuth (the installed app's tokens)";
  if (t.crm === 'salesforce')
    return t.auth === 'token'
      ? 'access token'
      : t.auth === 'refresh'
        ? "connected app's refresh token"
        : "connected app's JWT bearer key";
  return `private-app token${t.tier === undefined ? '' : ` (${t.tier})`}`;
}

function describeOwnerTasks(t: TenantConnection): string {
  return t.ownerTasks?.enabled === true ? 'owner tasks on' : 'owner tasks off';
}

function describeSpend(t: TenantConnection): string {
  const rows = t.acquisitionSpend;
  if (rows === undefined) return 'none';
  if (rows.length === 0) return 'an empty table';
  const months = rows.map((r) => r.month).sort();
  const channels = new Set(rows.map((r) => r.channel)).size;
  return (
    `${rows.length} row${rows.length === 1 ? '' : 's'}, ${channels} channel${channels === 1 ? '' : 's'}, ` +
    `${months[0]} to ${months[months.length - 1]}`
  );
}

function describeSchedule(t: TenantConnection): string {
  const s = t.schedule;
  return `sync every ${s.syncEveryMinutes} min, rescore '${s.rescoreCron}', retrain '${s.retrainCron}'`;
}

function renderTable(tenants: readonly TenantConnection[]): string {
  const header = ['tenant', 'crm', 'account', 'base URL', 'auth', 'schedule (UTC)', 'spend', 'added'];
  const rows = tenants.map((t) => [
    t.tenant,
    t.crm,
    t.accountId,
    t.baseUrl ?? '(default)',
    t.auth === 'token' && t.tier !== undefined ? `token (${t.tier})` : t.auth,
    describeSchedule(t),
    describeSpend(t),
    t.addedAt.replace(/\.\d+Z$/, 'Z'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function tenantCommand(): Command {
  const tenant = new Command('tenant')
    .description(
      'Register, list and remove the CRM accounts (tenants) the worker keeps fresh, and set their acquisition spend.',
    )
    .addHelpText('after', REGISTRY_HELP);
  for (const command of [addCommand(), listCommand(), spendCommand(), removeCommand()])
    tenant.addCommand(command);
  return tenant;
}
