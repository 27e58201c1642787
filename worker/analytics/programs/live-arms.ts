/**
 * Which arm each enrolled customer is in at time `at`: the arm while the customer's outcome window is open in
 * an active program, 'none' once it has closed or the program has ended (so the CRM workflow and the card's
 * playbooks stop treating them). A customer is in at most one live program; a live enrolment wins over a
 * closed one in another program. Customers never enrolled are absent. Used by the write-back (on the Scores it
 * sends) and by the contact card (on the Scores it serves), so both show the same arm.
 */
import type { RetentionGroup } from '../../../domain/score';
import type { Enrolment } from './program-outcomes';

const DAY_MS = 86_400_000;

/** What the arm needs of a program (the full config lives in worker/programs). */
export type ArmProgram = { id: string; status: 'active' | 'ended'; windowDays: number };

export type LiveArms = {
  groups: Map<string, RetentionGroup>;
  /** The program of each customer in a live arm (treatment or control), by customer id. */
  programs: Map<string, string>;
  /** The first time after `at` that some arm turns to 'none' (Infinity when none will): recompute then. */
  changesAt: number;
};

export function liveArms(
  programs: readonly ArmProgram[],
  enrolments: ReadonlyMap<string, readonly Enrolment[]>,
  at: number,
): LiveArms {
  const groups = new Map<string, RetentionGroup>();
  const live = new Map<string, string>();
  let changesAt = Infinity;
  for (const p of programs)
    for (const e of enrolments.get(p.id) ?? []) {
      const closesAt = e.enrolledAt + p.windowDays * DAY_MS;
      if (p.status === 'active' && at < closesAt) {
        groups.set(e.customerId, e.arm);
        live.set(e.customerId, p.id);
        if (closesAt < changesAt) changesAt = closesAt;
      } else if (!groups.has(e.customerId)) groups.set(e.customerId, 'none');
    }
  return { groups, programs: live, changesAt };
}
