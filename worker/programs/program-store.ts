/**
 * Where a tenant's retention programs and their enrolments live: two named values in the tenant's record store
 * (the Redis HASH or cursors.json of the file store; the same store as the scores they act on, so a tenant's
 * data moves and is deleted as one). Enrolments are kept per program as { customerId: "t|c" + enrolment time }:
 * written once when a customer is enrolled and never rewritten, so a later score cannot move them.
 */
import { randomUUID } from 'node:crypto';
import type { RecordStore } from '../state';
import { liveArms, type Enrolment, type LiveArms, type ProgramArm } from '../analytics/programs';
import { CrmClvError } from '../../domain/errors';
import { InvalidProgramError, parseRetentionProgram, type RetentionProgram } from './program-config';

type CursorStore = Pick<RecordStore, 'getCursor' | 'setCursor'>;
type CursorReader = Pick<RecordStore, 'getCursor'>;

const PROGRAMS_KEY = 'retention-programs';
const enrolmentsKey = (programId: string) => `retention-enrolments:${programId}`;
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

export async function readEnrolments(
  store: CursorReader,
  tenant: string,
  programId: string,
): Promise<Enrolment[]> {
  const text = await store.getCursor(tenant, enrolmentsKey(programId));
  if (text === undefined) return [];
  let value: Record<string, string>;
  try {
    value = JSON.parse(text) as Record<string, string>;
  } catch {
    throw new ProgramStoreCorruptError(tenant, `enrolments of '${programId}'`, 'not JSON');
  }
  const enrolments: Enrolment[] = [];
  for (const [customerId, entry] of Object.entries(value)) {
    const arm: ProgramArm | undefined =
      entry[0] === 't' ? 'treatment' : entry[0] === 'c' ? 'control' : undefined;
    const enrolledAt = Date.parse(entry.slice(2));
    if (arm === undefined || entry[1] !== '|' || Number.isNaN(enrolledAt))
      throw new ProgramStoreCorruptError(
        tenant,
        `enrolments of '${programId}'`,
        `customer ${customerId}: bad entry`,
      );
    enrolments.push({ customerId, arm, enrolledAt });
  }
  return enrolments;
}

/** Adds `added` to the program's enrolments; a customer already enrolled keeps the first arm and date. */
export async function addEnrolments(
  store: CursorStore,
  tenant: string,
  programId: string,
  added: readonly Enrolment[],
): Promise<void> {
  if (added.length === 0) return;
  const text = await store.getCursor(tenant, enrolmentsKey(programId));
  const all = text === undefined ? {} : (JSON.parse(text) as Record<string, string>);
  for (const e of added)
    all[e.customerId] ??= `${e.arm === 'treatment' ? 't' : 'c'}|${new Date(e.enrolledAt).toISOString()}`;
  await store.setCursor(tenant, enrolmentsKey(programId), JSON.stringify(all));
  await bumpProgramRevision(store, tenant);
}

/** Each enrolled customer's arm at `at` (liveArms over the stored programs and enrolments). */
export async function readLiveArms(store: CursorReader, tenant: string, at: number): Promise<LiveArms> {
  const programs = await readPrograms(store, tenant);
  const enrolments = new Map<string, Enrolment[]>();
  for (const p of programs) enrolments.set(p.id, await readEnrolments(store, tenant, p.id));
  return liveArms(programs, enrolments, at);
}

/** The members of each arm of a program, by customer id (for CRM lists and campaigns). */
export async function programArmMembers(
  store: CursorReader,
  tenant: string,
  programId: string,
): Promise<{ treatment: string[]; control: string[] }> {
  const members = { treatment: [] as string[], control: [] as string[] };
  for (const e of await readEnrolments(store, tenant, programId)) members[e.arm].push(e.customerId);
  members.treatment.sort();
  members.control.sort();
  return members;
}
