/**
 * After (or during) the window: each program's outcome by arm from the store's won orders. Results are
 * labelled interim until enrolment has closed and every enrolled customer's window has ended (no peeking: an
 * interim interval is not a result, and the report says so).
 */
import { createHash } from 'node:crypto';
import type { Score } from '../../domain/score';
import {
  programLift,
  programOutcomes,
  windowClosesAt,
  type ProgramLift,
  type WonOrder,
} from '../analytics/programs';
import { minimumDetectableEffect, type MinimumDetectableEffect } from '../analytics/programs';
import type { RecordStore } from '../state';
import type { RetentionProgram } from './program-config';
import { enrolmentOpen } from './assign-retention-groups';
import { baselineRetention } from './plan-program';
import { readEnrolments, readPrograms, type EnrolmentStore } from './program-store';

export type ProgramResult = {
  program: RetentionProgram;
  status: 'interim' | 'final';
  enrolled: number;
  /** When the last enrolled customer's window closes (ISO); absent before anyone is enrolled. */
  windowClosesAt?: string;
  /** The MDE of the arms as enrolled, at the baseline of their scores. */
  detectable: MinimumDetectableEffect;
  lift: ProgramLift;
  /** Won orders in the window left out because they are not in the program's currency. */
  otherCurrencyOrders: number;
};

export async function measurePrograms(
  store: EnrolmentStore & Pick<RecordStore, 'readRecords' | 'readScoreRun'>,
  tenant: string,
  asOf: Date,
): Promise<ProgramResult[]> {
  const programs = await readPrograms(store, tenant);
  if (programs.length === 0) return [];
  const orders = (await store.readRecords(tenant, 'order')).filter((o) => o.status === 'won');
  const scores = new Map<string, Score>();
  for (const s of (await store.readScoreRun(tenant))?.scores ?? []) scores.set(s.customerId, s);
  const results: ProgramResult[] = [];
  for (const program of programs) {
    const enrolments = await readEnrolments(store, tenant, program.id);
    const inCurrency: WonOrder[] = [];
    let otherCurrencyOrders = 0;
    const enrolled = new Set(enrolments.map((e) => e.customerId));
    for (const o of orders) {
      if (!enrolled.has(o.customerId)) continue;
      if (o.currency === program.currency)
        inCurrency.push({ customerId: o.customerId, placedAt: Date.parse(o.placedAt), amount: o.amount });
      else otherCurrencyOrders++;
    }
    const closes = windowClosesAt(enrolments, program.windowDays);
    const final =
      closes !== undefined &&
      !enrolmentOpen(program, enrolments.length, asOf.getTime()) &&
      asOf.getTime() >= closes;
    const treated = enrolments.filter((e) => e.arm === 'treatment').length;
    const known = enrolments.map((e) => scores.get(e.customerId)).filter((s): s is Score => s !== undefined);
    results.push({
      program,
      status: final ? 'final' : 'interim',
      enrolled: enrolments.length,
      ...(closes !== undefined ? { windowClosesAt: new Date(closes).toISOString() } : {}),
      detectable: minimumDetectableEffect(treated, enrolments.length - treated, baselineRetention(known)),
      lift: programLift(programOutcomes(enrolments, inCurrency, program.windowDays, asOf.getTime()), {
        costPerTreated: program.costPerTreated,
        seed: bootstrapSeed(tenant, program.id),
      }),
      otherCurrencyOrders,
    });
  }
  return results;
}

/** A seed fixed per program, so the same data always gives the same revenue interval. */
function bootstrapSeed(tenant: string, programId: string): number {
  return createHash('sha256').update(`bootstrap\0${tenant}\0${programId}`).digest().readUInt32BE(0);
}
