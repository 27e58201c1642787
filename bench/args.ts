/** Command-line flags of `npm run bench -- …`. */

export const BENCH_STAGES = ['fit', 'generate', 'score'] as const;
export type BenchStage = (typeof BENCH_STAGES)[number];

export type BenchArgs = {
  only: BenchStage[];
  customers: number;
  transactions: number;
  seed: number;
  help: boolean;
};

export const BENCH_USAGE = `usage: npm run bench -- [--only fit|generate|score[,…]] [--customers N] [--transactions N] [--seed S]

  fit       simulate N BG/NBD + Gamma-Gamma customers (default 1,000,000), fit both models, predict for all
  generate  write about N transaction rows (default 10,000,000) to .bench-data/ (reused when already there)
  score     run \`crm-clv score\` on those rows (generates them first when missing)
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
        const unknown = stages.filter((s) => !(BENCH_STAGES as readonly string[]).includes(s));
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
