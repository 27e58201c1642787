/**
 * The write-back step of retention programs: enrols the eligible customers of the run in each open program
 * (once: a stored enrolment is never moved by a later score) and sets each enrolled customer's
 * Score.retentionGroup, written as clv_retention_group, so CRM workflows enrol only the treatment arm.
 * A customer is in at most one live program at a time (the Score has one group); once the window closes or
 * the program ends the group becomes 'none', which stops the CRM workflow. Customers never enrolled are left
 * without a group, so the CRM field is not touched for them.
 */
import type { Score, ScoreRun } from '../../domain/score';
import { assignArm, eligibilityTest, liveArms, type Enrolment } from '../analytics/programs';
import type { RecordStore } from '../state';
import type { RetentionProgram } from './program-config';
import { addEnrolments, readEnrolments, readPrograms, type EnrolmentStore } from './program-store';

const DAY_MS = 86_400_000;

export type RetentionGroupsResult = { scores: Score[]; enrolled: Record<string, number> };

/** True while new customers may join: until enrolmentDays after creation, or until the first enrolment. */
export function enrolmentOpen(program: RetentionProgram, enrolledSoFar: number, at: number): boolean {
  if (program.status !== 'active') return false;
  return enrolledSoFar === 0 || at <= Date.parse(program.createdAt) + program.enrolmentDays * DAY_MS;
}

export async function assignRetentionGroups(
  store: EnrolmentStore & Pick<RecordStore, 'setCursor'>,
  tenant: string,
  scored: { run: ScoreRun; scores: readonly Score[] },
): Promise<RetentionGroupsResult> {
  const programs = await readPrograms(store, tenant);
  if (programs.length === 0) return { scores: [...scored.scores], enrolled: {} };
  const at = Date.parse(scored.run.scoredAt);
  const byProgram = new Map<string, Enrolment[]>();
  for (const p of programs) byProgram.set(p.id, await readEnrolments(store, tenant, p.id));

  const taken = new Set<string>();
  for (const [customerId, group] of liveArms(programs, byProgram, at).groups)
    if (group !== 'none') taken.add(customerId);

  const enrolled: Record<string, number> = {};
  for (const p of [...programs].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const existing = byProgram.get(p.id)!;
    if (!enrolmentOpen(p, existing.length, at)) continue;
    const already = new Set(existing.map((e) => e.customerId));
    const eligible = eligibilityTest(p.eligibility, scored.scores);
    const enrolledAt = Math.max(at, Date.parse(p.createdAt));
    const added: Enrolment[] = [];
    for (const s of scored.scores) {
      if (already.has(s.customerId) || taken.has(s.customerId) || !eligible(s)) continue;
      added.push({
        customerId: s.customerId,
        arm: assignArm(tenant, p.id, s.customerId, p.treatmentShare),
        enrolledAt,
      });
      taken.add(s.customerId);
    }
    await addEnrolments(store, tenant, p.id, added);
    // One push per enrolment: spreading a million arguments overflows the call stack.
    for (const e of added) existing.push(e);
    enrolled[p.id] = added.length;
  }

  const { groups } = liveArms(programs, byProgram, at);
  const scores = scored.scores.map((s) => {
    const group = groups.get(s.customerId);
    return group === undefined ? s : { ...s, retentionGroup: group };
  });
  return { scores, enrolled };
}
