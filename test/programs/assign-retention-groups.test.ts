import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignArm } from '../../worker/analytics/programs';
import {
  assignRetentionGroups,
  parseRetentionProgram,
  programArmMembers,
  readEnrolments,
  writePrograms,
} from '../../worker/programs';
import { FileRecordStore } from '../../worker/state';
import { buildProgram, programRun, programScore } from './builders';

const TENANT = 'hubspot-42';
let dir: string;
let store: FileRecordStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-programs-'));
  store = new FileRecordStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function population(n: number, risk: (i: number) => 'high' | 'low' = () => 'high') {
  return Array.from({ length: n }, (_, i) => programScore(`c${i}`, { churnRisk: risk(i), clvPredicted: i }));
}

describe('assignRetentionGroups', () => {
  it('enrols only eligible customers, in the arm their hash gives, and writes it on their Score', async () => {
    await writePrograms(store, TENANT, [buildProgram()]);
    const scores = population(40, (i) => (i % 2 === 0 ? 'high' : 'low'));
    const { scores: out, enrolled } = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-02T00:00:00.000Z', 40),
      scores,
    });
    expect(enrolled).toEqual({ winback: 20 });
    for (const s of out) {
      if (s.churnRisk === 'low') expect(s.retentionGroup).toBeUndefined();
      else expect(s.retentionGroup).toBe(assignArm(TENANT, 'winback', s.customerId, 0.8));
    }
    const members = await programArmMembers(store, TENANT, 'winback');
    expect(members.treatment.length + members.control.length).toBe(20);
    expect(members.control.length).toBeGreaterThan(0);
  });

  it('keeps enrolment and arm when a later score makes the customer ineligible, and enrols no one new after the first run', async () => {
    await writePrograms(store, TENANT, [buildProgram()]);
    await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-02T00:00:00.000Z', 10),
      scores: population(10),
    });
    const first = await readEnrolments(store, TENANT, 'winback');
    // Ten days later: everyone is low risk now, and ten new high-risk customers appear.
    const later = [...population(10, () => 'low'), ...population(20).slice(10)];
    const { scores: out, enrolled } = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-12T00:00:00.000Z', 20),
      scores: later,
    });
    expect(enrolled).toEqual({});
    expect(await readEnrolments(store, TENANT, 'winback')).toEqual(first);
    expect(out.slice(0, 10).map((s) => s.retentionGroup)).toEqual(first.map((e) => e.arm));
    expect(out.slice(10).every((s) => s.retentionGroup === undefined)).toBe(true);
  });

  it('turns the group to none once the window has closed or the program ended', async () => {
    await writePrograms(store, TENANT, [buildProgram({ windowDays: 30 })]);
    await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-02T00:00:00.000Z', 5),
      scores: population(5),
    });
    const closed = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-04-02T00:00:00.000Z', 5),
      scores: population(5),
    });
    expect(closed.scores.map((s) => s.retentionGroup)).toEqual(Array(5).fill('none'));

    await writePrograms(store, TENANT, [
      buildProgram({ id: 'p2', status: 'ended', endedAt: '2026-03-03T00:00:00.000Z' }),
    ]);
    const ended = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-04T00:00:00.000Z', 5),
      scores: population(5),
    });
    expect(ended.enrolled).toEqual({});
  });

  it('puts a customer in at most one live program', async () => {
    await writePrograms(store, TENANT, [
      buildProgram({ id: 'first', createdAt: '2026-03-01T00:00:00.000Z' }),
      buildProgram({ id: 'second', createdAt: '2026-03-01T01:00:00.000Z' }),
    ]);
    const { enrolled } = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-02T00:00:00.000Z', 8),
      scores: population(8),
    });
    expect(enrolled).toEqual({ first: 8, second: 0 });
  });

  it('does not enrol a customer live in one program into a program created later, but does once the window closed', async () => {
    await writePrograms(store, TENANT, [buildProgram({ id: 'first', windowDays: 30 })]);
    await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-02T00:00:00.000Z', 4),
      scores: population(4),
    });
    const later = buildProgram({ id: 'later', createdAt: '2026-03-10T00:00:00.000Z', enrolmentDays: 60 });
    await writePrograms(store, TENANT, [buildProgram({ id: 'first', windowDays: 30 }), later]);
    const during = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-03-11T00:00:00.000Z', 6),
      scores: population(6),
    });
    // c0–c3 are live in 'first' until 2026-04-01; only the two new customers join 'later'.
    expect(during.enrolled).toEqual({ later: 2 });
    expect((await readEnrolments(store, TENANT, 'later')).map((e) => e.customerId).sort()).toEqual([
      'c4',
      'c5',
    ]);
    const after = await assignRetentionGroups(store, TENANT, {
      run: programRun('2026-04-02T00:00:00.000Z', 6),
      scores: population(6),
    });
    expect(after.enrolled).toEqual({ later: 4 });
  });

  it('a retried write-back enrols nobody twice and keeps the first date', async () => {
    await writePrograms(store, TENANT, [buildProgram({ enrolmentDays: 30 })]);
    const input = { run: programRun('2026-03-02T00:00:00.000Z', 6), scores: population(6) };
    await assignRetentionGroups(store, TENANT, input);
    const again = await assignRetentionGroups(store, TENANT, {
      ...input,
      run: programRun('2026-03-05T00:00:00.000Z', 6),
    });
    expect(again.enrolled).toEqual({ winback: 0 });
    const enrolments = await readEnrolments(store, TENANT, 'winback');
    expect(enrolments).toHaveLength(6);
    expect(new Set(enrolments.map((e) => e.enrolledAt))).toEqual(
      new Set([Date.parse('2026-03-02T00:00:00.000Z')]),
    );
  });
});

describe('parseRetentionProgram', () => {
  it('names each bad field', () => {
    expect(() =>
      parseRetentionProgram({
        ...buildProgram(),
        treatmentShare: 1.2,
        eligibility: { churnRisk: ['hot'] },
        colour: 1,
      }),
    ).toThrow(
      /retention program 'winback': .*eligibility\.churnRisk\.0: .*treatmentShare: must be between 0 and 1.*unknown field\(s\) colour/,
    );
  });

  it('refuses an eligibility rule it does not know rather than ignoring it', () => {
    expect(() => parseRetentionProgram({ ...buildProgram(), eligibility: { churnBand: ['high'] } })).toThrow(
      /eligibility: unknown field\(s\) churnBand/,
    );
  });
});
