/** Command-line flags of `npm run bench -- …`. */

/** Stages of a plain `npm run bench`. */
export const BENCH_STAGES = ['fit', 'generate', 'score'] as const;
/**
 * Run only when named in --only: the HubSpot stages take minutes at the real rate limit; `boundary` is the
 * focused check of predictions at boundary fits (issue P4); `redis-memory` needs redis-server (issue P5).
 */
export const OPT_IN_STAGES = [
  'hubspot-writeback',
  'hubspot-read',
  'hubspot-sync-store',
  'hubspot-writeback-redis',
  'boundary',
  'redis-memory',
  'salesforce',
] as const;
export type BenchStage = (typeof BENCH_STAGES)[number] | (typeof OPT_IN_STAGES)[number];

export const HUBSPOT_SANDBOX_MODES = ['child', 'in-process'] as const;

export type BenchArgs = {
  only: BenchStage[];
  customers: number;
  transactions: number;
  seed: number;
  help: boolean;
  /** HubSpot stages: sandbox contacts (default 100,000). */
  hubspotContacts?: number;
  /** HubSpot stages: where the sandbox runs (default child). */
  hubspotSandbox?: (typeof HUBSPOT_SANDBOX_MODES)[number];
  /** hubspot-writeback: batches in flight (writeChangedValues' concurrency, default 4). */
  hubspotConcurrency?: number;
  /** HubSpot stages: resize the client's limiter to N per window (headroom experiments; default 110). */
  hubspotClientLimit?: number;
  /** HubSpot stages: resize the client's limiter window to N ms (default 10,000). */
  hubspotClientWindowMs?: number;
  /** hubspot-sync-store: the sandbox's and the client's limit per 10 s (default 110, HubSpot's OAuth limit). */
  hubspotSyncLimit?: number;
  /** hubspot-writeback-redis: worker processes sharing the Redis limiter (default 2). */
  hubspotWorkers?: number;
  /** redis-memory: customers of the one tenant stored (default 100,000). */
  redisCustomers?: number;
  /** redis-memory: completed jobs kept (default 10,000). */
  redisJobs?: number;
  /** salesforce: sandbox contacts (default 100,000). */
  salesforceContacts?: number;
};

export const BENCH_USAGE = `usage: npm run bench -- [--only STAGE[,…]]   (fit, generate, score, or an opt-in stage below)
         [--customers N] [--transactions N] [--seed S] [--hubspot-contacts N] [--hubspot-sandbox child|in-process]
         [--hubspot-concurrency N] [--hubspot-client-limit N] [--hubspot-client-window-ms MS]
         [--hubspot-sync-limit N] [--hubspot-workers W] [--redis-customers N] [--redis-jobs K]
         [--salesforce-contacts N]

  fit       simulate N BG/NBD + Gamma-Gamma customers (default 1,000,000), fit both models, predict for all
  generate  write about N transaction rows (default 10,000,000) to .bench-data/ (reused when already there)
  score     run \`crm-clv score\` on those rows (generates them first when missing)

  Opt-in (not in a plain \`npm run bench\`, they take minutes at the real rate limit; name them in --only):
  hubspot-writeback  write-back of every contact of a seeded sandbox (--hubspot-contacts, default 100,000) at
                     110 calls per 10 s, then 0.7 % changed, then none; target ≤ 100 s, no 429 reaching the
                     caller, ⌈changed / 100⌉ write calls
  hubspot-read       full sync of the same sandbox (deals, line items, tickets, …) into a temporary store:
                     calls per route family, seconds, records per type
  hubspot-sync-store full syncTenant of the sandbox (--hubspot-contacts, default 100,000) into RedisRecordStore
                     on a private redis-server, the sync in its own process: wall time, calls, 429s, peak RSS
                     per sync phase; target peak RSS ≤ 300 MiB. --hubspot-sync-limit N raises the sandbox's
                     and the client's limit from 110 per 10 s (a memory measurement; the report says so)
  hubspot-writeback-redis
                     write-back of every contact at 110 per 10 s by W worker processes (--hubspot-workers,
                     default 2), each writing its share through one Redis limiter; target within 10 % of the
                     floor (⌈N / 100⌉ calls ÷ 11 per s: 90.9 s for 100,000), no 429 at the sandbox
  boundary           predictions at boundary fits: BG/NBD with a → 0, b = 5e6 on 2,787 customers (6-month CLV,
                     target < 1 s), and 300 regular buyers who never drop out (fits, predictions, outlook)
  redis-memory       Redis memory of one tenant's state on a private redis-server: the demo portal's N contacts
                     (--redis-customers, default 100,000) synced, scored and written back through
                     RedisRecordStore, then K completed jobs kept (--redis-jobs, default 10,000); MiB per
                     100,000 customers by kind
  salesforce         the Salesforce sandbox (--salesforce-contacts, default 100,000) through jsforce: full sync
                     with SOQL paging vs Bulk API 2.0 query jobs, write-back of every contact through sObject
                     Collections vs one Bulk API 2.0 ingest job; seconds and API calls against a 100,000-call
                     daily allocation (issue P7)
  The sandbox runs in its own process unless --hubspot-sandbox in-process. --hubspot-concurrency sets
  writeChangedValues' batches in flight (default 4); --hubspot-client-limit and --hubspot-client-window-ms resize
  our limiter (default 110 per 10,000 ms) to measure headroom against 429s; the sandbox keeps 110 per 10 s.
`;

export class BenchArgsError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  constructor(message: string) {
    super(`${message}\n${BENCH_USAGE}`);
    this.name = 'BenchArgsError';
  }
}

/** Parses the flags; numbers accept 1e6 and 1_000_000. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    only: [...BENCH_STAGES],
    customers: 1_000_000,
    transactions: 10_000_000,
    seed: 42,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new BenchArgsError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--only': {
        const stages = value()
          .split(',')
          .map((s) => s.trim());
        const known: readonly string[] = [...BENCH_STAGES, ...OPT_IN_STAGES];
        const unknown = stages.filter((s) => !known.includes(s));
        if (unknown.length > 0) throw new BenchArgsError(`unknown stage ${unknown.join(', ')} for --only`);
        args.only = stages as BenchStage[];
        break;
      }
      case '--customers':
        args.customers = positiveInteger(name, value());
        break;
      case '--transactions':
        args.transactions = positiveInteger(name, value());
        break;
      case '--seed':
        args.seed = positiveInteger(name, value(), 0);
        break;
      case '--salesforce-contacts':
        args.salesforceContacts = positiveInteger(name, value());
        break;
      case '--hubspot-contacts':
        args.hubspotContacts = positiveInteger(name, value());
        break;
      case '--hubspot-concurrency':
        args.hubspotConcurrency = positiveInteger(name, value());
        break;
      case '--hubspot-client-limit':
        args.hubspotClientLimit = positiveInteger(name, value());
        break;
      case '--hubspot-client-window-ms':
        args.hubspotClientWindowMs = positiveInteger(name, value());
        break;
      case '--hubspot-sync-limit':
        args.hubspotSyncLimit = positiveInteger(name, value());
        break;
      case '--hubspot-workers':
        args.hubspotWorkers = positiveInteger(name, value());
        break;
      case '--redis-customers':
        args.redisCustomers = positiveInteger(name, value());
        break;
      case '--redis-jobs':
        args.redisJobs = positiveInteger(name, value());
        break;
      case '--hubspot-sandbox': {
        const mode = value();
        if (!(HUBSPOT_SANDBOX_MODES as readonly string[]).includes(mode))
          throw new BenchArgsError(`--hubspot-sandbox must be child or in-process, got "${mode}"`);
        args.hubspotSandbox = mode as BenchArgs['hubspotSandbox'];
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new BenchArgsError(`unknown flag ${flag}`);
    }
  }
  return args;
}

function positiveInteger(name: string, text: string, min = 1): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < min)
    throw new BenchArgsError(`${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
}
