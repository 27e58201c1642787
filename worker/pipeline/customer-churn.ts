/**
 * The churn part of the insights (customer-insights): the classifier trained with its out-of-time check, or
 * the promoted version's reused, and every customer scored. It reads only the cleaned orders, cancellations
 * and the CRM's cases and counters, not the RFM summary, the fits or the segments, so a large run starts it
 * in a pipeline thread as soon as the data are cleaned and the rest of the run goes on beside it. Its input
 * is plain columns (it crosses threads); its result is the same wherever it ran.
 */
import type { CleanResult } from '../analytics/clean';
import {
  churnResultFromPortable,
  portableChurnResult,
  restoreChurnModel,
  trainAndScoreChurn,
  type ChurnInput,
  type ChurnModel,
  type ChurnResult,
  type PortableChurnResult,
  type StoredChurnModel,
} from '../analytics/churn';
import type { CrmAttributes } from './crm-attributes';
import type { PipelineThreads } from './parallel/pipeline-threads';

/** What the churn stage reads: the churn input's columns and the run's churn settings. */
export type ChurnStageInput = ChurnInput & {
  observationEnd: string;
  windowDays: number;
  /** The promoted version's classifier, scored with instead of training one (trained when it cannot be). */
  reuse?: { version: string; model: StoredChurnModel };
};

export type ChurnStageResult = {
  /** Null when no model could be trained (a warning says why; the churn columns stay empty). */
  churn: ChurnResult | null;
  /** The model version whose classifier scored this run; null when it was trained in this run. */
  reusedFrom: string | null;
  /** Prefixed "churn: …", in the order they arose. */
  warnings: string[];
};

export function churnStageInput(
  clean: CleanResult,
  settings: {
    observationEnd: string;
    churnWindowDays: number;
    crm?: CrmAttributes;
    reuseChurn?: { version: string; model: StoredChurnModel };
  },
): ChurnStageInput {
  const { orders } = clean;
  return {
    // Only the columns churn reads: a thread is sent these, not the order ids.
    orders: {
      customer: orders.customer,
      time: orders.time,
      amount: orders.amount,
      lineCount: orders.lineCount,
      ...(orders.channel ? { channel: orders.channel } : {}),
    },
    customers: clean.customers.length,
    ...(clean.channels ? { channels: clean.channels } : {}),
    ...(clean.cancellations ? { cancellations: clean.cancellations } : {}),
    ...(settings.crm ? crmChurnInputs(clean.customers, settings.crm) : {}),
    observationEnd: settings.observationEnd,
    windowDays: settings.churnWindowDays,
    ...(settings.reuseChurn ? { reuse: settings.reuseChurn } : {}),
  };
}

/** The churn stage in this thread. */
export function runChurnStage(input: ChurnStageInput): ChurnStageResult {
  const warnings: string[] = [];
  let reuse: ChurnModel | undefined;
  if (input.reuse) {
    try {
      reuse = restoreChurnModel(input.reuse.model, input.channels);
    } catch (error) {
      warnings.push(
        `churn: the classifier of ${input.reuse.version} cannot score these data (${messageOf(error)}); trained a new one`,
      );
    }
  }
  try {
    const churn = trainAndScoreChurn({
      ...input,
      options: { windowDays: input.windowDays, reuse },
    });
    warnings.push(...churn.warnings.map((w) => `churn: ${w}`));
    return { churn, reusedFrom: reuse && input.reuse ? input.reuse.version : null, warnings };
  } catch (error) {
    warnings.push(`churn model not trained: ${messageOf(error)} ` + '(the churn columns are left empty).');
    return { churn: null, reusedFrom: null, warnings };
  }
}

/** The churn stage as a pipeline thread's task: its result as portable data and the buffers to transfer. */
export function runPortableChurnStage(input: ChurnStageInput): {
  result: PortableChurnStageResult;
  transfer: ArrayBuffer[];
} {
  const { churn, ...rest } = runChurnStage(input);
  if (churn === null) return { result: { ...rest, churn: null }, transfer: [] };
  const { portable, transfer } = portableChurnResult(churn);
  return { result: { ...rest, churn: portable }, transfer };
}

export type PortableChurnStageResult = Omit<ChurnStageResult, 'churn'> & {
  churn: PortableChurnResult | null;
};

/** Starts the churn stage on one of `threads`, or runs it here when there are none. */
export async function startChurnStage(
  input: ChurnStageInput,
  threads: PipelineThreads | null,
): Promise<ChurnStageResult> {
  if (threads === null) return runChurnStage(input);
  const answer = await threads.run<PortableChurnStageResult>('churn-stage', input, [], 0);
  return { ...answer, churn: answer.churn === null ? null : churnResultFromPortable(answer.churn) };
}

/**
 * The churn model's CRM inputs by customer index: service cases, and engagement counters for the
 * customers the CRM has them for (0 for the others, as "nothing recorded").
 */
function crmChurnInputs(
  customerIds: readonly string[],
  crm: CrmAttributes,
): Pick<ChurnInput, 'serviceCases' | 'engagement'> {
  const indexOf = new Map(customerIds.map((id, i) => [id, i]));
  const cases = crm.serviceCases.filter((c) => indexOf.has(c.customerId));
  const n = customerIds.length;
  const engagement = {
    emailOpens: new Float64Array(n),
    emailClicks: new Float64Array(n),
    pageViews: new Float64Array(n),
    socialClicks: new Float64Array(n),
  };
  let any = false;
  for (let i = 0; i < n; i++) {
    const e = crm.customers.get(customerIds[i])?.engagement;
    if (e === undefined) continue;
    any = true;
    engagement.emailOpens[i] = e.emailOpens;
    engagement.emailClicks[i] = e.emailClicks;
    engagement.pageViews[i] = e.pageViews;
    engagement.socialClicks[i] = e.socialClicks;
  }
  return {
    ...(cases.length > 0
      ? {
          serviceCases: {
            customer: Int32Array.from(cases, (c) => indexOf.get(c.customerId) as number),
            time: Float64Array.from(cases, (c) => c.openedAtMs),
            priority: Float64Array.from(cases, (c) => c.priority ?? NaN),
          },
        }
      : {}),
    ...(any ? { engagement } : {}),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
