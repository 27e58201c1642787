/**
 * Where a tenant's retention programs and their enrolments live, in the tenant's record store (the same store
 * as the scores they act on, so a tenant's data moves and is deleted as one): the programs as one named value
 * (a cursor), the enrolments per program as one small entry per customer (a Redis HASH field, a line of the
 * file store's enrolment file). An entry is written once when the customer is enrolled and never replaced, so
 * a later score or a retried write-back cannot move an arm, and enrolling adds entries without rewriting the
 * program's others (a million enrolled is ~30 MB as one JSON value).
 */
import { randomUUID } from 'node:crypto';
import type { RecordStore } from '../state';
import { liveArms, type Enrolment, type LiveArms, type ProgramArm } from '../analytics/programs';
import { CrmClvError } from '../../domain/errors';
import {
  InvalidProgramError,
  parseRetentionProgram,
  type ProgramOffer,
  type RetentionProgram,
} from './program-config';

type CursorStore = Pick<RecordStore, 'getCursor' | 'setCursor'>;
type CursorReader = Pick<RecordStore, 'getCursor'>;
/** What reading enrolments needs: reading may move enrolments of the old layout (see below) first. */
export type EnrolmentStore = Pick<
  RecordStore,
  'getCursor' | 'deleteCursor' | 'readEnrolmentEntries' | 'addEnrolmentEntries'
>;

const PROGRAMS_KEY = 'retention-programs';
const legacyEnrolmentsKey = (programId: string) => `retention-enrolments:${programId}`;
/**
 * Changed after every write of programs or enrolments (after the write, so a reader that sees the new value
 * also sees the new data): the contact card reads it beside the run header and reloads the arms when it moved.
 */
const REVISION_KEY = 'retention-revision';

/** The tenant's program revision ('none' before any program was written). */
export async function readProgramRevision(store: CursorReader, tenant: string): Promise<string> {
  return (await store.getCursor(tenant, REVISION_KEY)) ?? 'none';
}

async function bumpProgramRevision(store: CursorStore, tenant: string): Promise<void> {
  // Unique rather than a counter: two writers bumping at once must still both leave a new value.
  await store.setCursor(tenant, REVISION_KEY, `${new Date().toISOString()}-${randomUUID()}`);
}

export class ProgramStoreCorruptError extends CrmClvError<'INVALID_DATA'> {
  constructor(tenant: string, what: string, problem: string) {
    super('INVALID_DATA', `${tenant}: the stored ${what} cannot be read (${problem}); fix or remove it`);
    this.name = 'ProgramStoreCorruptError';
  }
}

export class ProgramNotFoundError extends CrmClvError<'INVALID_OPTION'> {
  constructor(tenant: string, programId: string) {
    super(
      'INVALID_OPTION',
      `${tenant} has no retention program '${programId}' ('crm-clv program list' shows them)`,
    );
    this.name = 'ProgramNotFoundError';
  }
}

export async function readPrograms(store: CursorReader, tenant: string): Promise<RetentionProgram[]> {
  const text = await store.getCursor(tenant, PROGRAMS_KEY);
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProgramStoreCorruptError(tenant, 'retention programs', 'not JSON');
  }
  if (!Array.isArray(value)) throw new ProgramStoreCorruptError(tenant, 'retention programs', 'not a list');
  try {
    return value.map(parseRetentionProgram);
  } catch (error) {
    if (error instanceof InvalidProgramError)
      throw new ProgramStoreCorruptError(tenant, 'retention programs', error.message);
    throw error;
  }
}

export async function writePrograms(
  store: CursorStore,
  tenant: string,
  programs: readonly RetentionProgram[],
): Promise<void> {
  await store.setCursor(tenant, PROGRAMS_KEY, JSON.stringify(programs.map(parseRetentionProgram)));
  await bumpProgramRevision(store, tenant);
}

/** Enrolment entry: the arm's letter and the enrolment time in base-36 epoch ms ("t" + "m7q…"), ~9 bytes. */
function enrolmentEntry(e: Enrolment): string {
  if (!Number.isSafeInteger(e.enrolledAt) || e.enrolledAt < 0)
    throw new RangeError(
      `customer ${e.customerId}: enrolment time ${e.enrolledAt} is not a whole ms from 1970`,
    );
  return `${e.arm === 'treatment' ? 't' : 'c'}${e.enrolledAt.toString(36)}`;
}

const ARM_OF: Record<string, ProgramArm> = { t: 'treatment', c: 'control' };

function parseEnrolmentEntry(entry: string): { arm: ProgramArm; enrolledAt: number } | undefined {
  const arm = ARM_OF[entry[0]];
  const time = entry.slice(1);
  if (arm === undefined || !/^[0-9a-z]{1,11}$/.test(time)) return undefined;
  return { arm, enrolledAt: parseInt(time, 36) };
}

/**
 * The enrolments of one JSON value per program ({ customerId: "t|<ISO time>" }), the layout before the
 * per-customer entries: moved into the entries on first read and removed. Adding never replaces an entry and
 * the value is removed only after, so a reader racing the move reads it too or reads the moved entries.
 */
async function migrateLegacyEnrolments(
  store: EnrolmentStore,
  tenant: string,
  programId: string,
): Promise<void> {
  const key = legacyEnrolmentsKey(programId);
  const text = await store.getCursor(tenant, key);
  if (text === undefined) return;
  const what = `enrolments of '${programId}'`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProgramStoreCorruptError(tenant, what, 'not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ProgramStoreCorruptError(tenant, what, 'not an object of customers');
  const entries: [string, string][] = [];
  for (const [customerId, old] of Object.entries(value as Record<string, unknown>)) {
    const arm = typeof old === 'string' ? ARM_OF[old[0]] : undefined;
    const enrolledAt = typeof old === 'string' ? Date.parse(old.slice(2)) : NaN;
    if (arm === undefined || (old as string)[1] !== '|' || Number.isNaN(enrolledAt))
      throw new ProgramStoreCorruptError(tenant, what, `customer ${customerId}: bad entry`);
    entries.push([customerId, enrolmentEntry({ customerId, arm, enrolledAt })]);
  }
  await store.addEnrolmentEntries(tenant, programId, entries);
  await store.deleteCursor(tenant, key);
}

export async function readEnrolments(
  store: EnrolmentStore,
  tenant: string,
  programId: string,
): Promise<Enrolment[]> {
  await migrateLegacyEnrolments(store, tenant, programId);
  const enrolments: Enrolment[] = [];
  for (const [customerId, entry] of await store.readEnrolmentEntries(tenant, programId)) {
    const parsed = parseEnrolmentEntry(entry);
    if (parsed === undefined)
      throw new ProgramStoreCorruptError(
        tenant,
        `enrolments of '${programId}'`,
        `customer ${customerId}: bad entry '${entry}'`,
      );
    enrolments.push({ customerId, ...parsed });
  }
  return enrolments;
}

/**
 * Adds `added` to the program's enrolments; a customer already enrolled keeps the first arm and date (so a
 * retried write-back changes nothing). Returns how many were new; the revision moves only when some were.
 */
export async function addEnrolments(
  store: EnrolmentStore & CursorStore,
  tenant: string,
  programId: string,
  added: readonly Enrolment[],
): Promise<number> {
  if (added.length === 0) return 0;
  await migrateLegacyEnrolments(store, tenant, programId);
  const count = await store.addEnrolmentEntries(
    tenant,
    programId,
    added.map((e) => [e.customerId, enrolmentEntry(e)] as const),
  );
  if (count > 0) await bumpProgramRevision(store, tenant);
  return count;
}

/**
 * What a live program gives each customer in it: the program's offer in the treatment arm, 'none' in the
 * control arm (the holdout is withheld the offer with the rest of the treatment).
 */
export type ProgramArms = LiveArms & { offers: Map<string, ProgramOffer> };

/** Each enrolled customer's arm at `at` (liveArms over the stored programs and enrolments), and offer. */
export async function readLiveArms(store: EnrolmentStore, tenant: string, at: number): Promise<ProgramArms> {
  const programs = await readPrograms(store, tenant);
  const enrolments = new Map<string, Enrolment[]>();
  for (const p of programs) enrolments.set(p.id, await readEnrolments(store, tenant, p.id));
  const arms = liveArms(programs, enrolments, at);
  const offerOf = new Map(programs.map((p) => [p.id, p.offer]));
  const offers = new Map<string, ProgramOffer>();
  for (const [customerId, programId] of arms.programs)
    offers.set(customerId, arms.groups.get(customerId) === 'treatment' ? offerOf.get(programId)! : 'none');
  return { ...arms, offers };
}

/** The members of each arm of a program, by customer id (for CRM lists and campaigns). */
export async function programArmMembers(
  store: EnrolmentStore,
  tenant: string,
  programId: string,
): Promise<{ treatment: string[]; control: string[] }> {
  const members = { treatment: [] as string[], control: [] as string[] };
  for (const e of await readEnrolments(store, tenant, programId)) members[e.arm].push(e.customerId);
  members.treatment.sort();
  members.control.sort();
  return members;
}
