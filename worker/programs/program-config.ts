/**
 * A retention program as a tenant configures it (`crm-clv program add`): who is eligible, what share is
 * treated, how long the outcome window is and what treating a customer costs. Validated with zod; a problem is
 * reported by field ("treatmentShare: must be between 0 and 1, exclusive").
 */
import { z } from 'zod';
import { CHURN_RISKS } from '../../domain/score';
import { CrmClvError } from '../../domain/errors';

export const PROGRAM_STATUSES = ['active', 'ended'] as const;

export const eligibilityRuleSchema = z
  .object({
    churnRisk: z.array(z.enum(CHURN_RISKS)).min(1).optional(),
    clvTopShare: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1 (the whole run)').optional(),
    minClvPredicted: z.number().finite().optional(),
    minChurnProbability: z.number().min(0).max(1).optional(),
    segmentIds: z.array(z.string().min(1)).min(1).optional(),
    rfmSegments: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

export const retentionProgramSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1–48 lower-case letters, digits or "-" (e.g. winback-q1)'),
    name: z.string().trim().min(1, 'must not be empty').max(120),
    eligibility: eligibilityRuleSchema,
    treatmentShare: z
      .number()
      .gt(0, 'must be between 0 and 1, exclusive')
      .lt(1, 'must be between 0 and 1, exclusive'),
    windowDays: z.number().int('must be whole days').min(1).max(730),
    /** Customers are enrolled by the runs of the first enrolmentDays after createdAt (0: the first run only). */
    enrolmentDays: z.number().int('must be whole days').min(0).max(365),
    costPerTreated: z.number().finite().nonnegative('must not be negative'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO currency code such as EUR'),
    /** The treated arm's offer: P6's per-customer pricing guidance (playbooks/pricing.ts), or none. */
    offer: z.enum(['pricing-guidance', 'none']),
    status: z.enum(PROGRAM_STATUSES),
    createdAt: z.string().datetime({ offset: true }),
    endedAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type RetentionProgram = z.infer<typeof retentionProgramSchema>;
export type ProgramOffer = RetentionProgram['offer'];

export class InvalidProgramError extends CrmClvError<'INPUT_FORMAT'> {
  constructor(program: string, problems: string) {
    super('INPUT_FORMAT', `retention program '${program}': ${problems}`);
    this.name = 'InvalidProgramError';
  }
}

/** The program, validated; throws InvalidProgramError naming each bad field. */
export function parseRetentionProgram(value: unknown): RetentionProgram {
  const parsed = retentionProgramSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : '(no id)';
  const problems = parsed.error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      if (issue.code === 'unrecognized_keys') return `${field}unknown field(s) ${issue.keys.join(', ')}`;
      return `${field}${issue.message}`;
    })
    .join('; ');
  throw new InvalidProgramError(id, problems);
}
