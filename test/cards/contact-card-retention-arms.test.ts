/**
 * The contact card honours a retention program's holdout: the write-back enrols customers after the run's
 * commit, and the card must then hold the retention call and offer back from the control arm, as the shipped
 * rules say ("save-valuable-at-risk" and "retention-offer" apply to retentionGroup treatment or none only).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardService } from '../../cards/contact-card/card-service';
import type { CardResponse } from '../../cards/contact-card/card-response';
import { loadPlaybooks } from '../../playbooks';
import { assignArm } from '../../worker/analytics/programs';
import { assignRetentionGroups, writePrograms } from '../../worker/programs';
import { FileRecordStore } from '../../worker/state';
import { customerRecord } from '../helpers/customer-record';
import { buildProgram, programRun, programScore } from '../programs/builders';

const TENANT = 'hubspot-42';
const DAY_MS = 86_400_000;
const SCORED_AT = '2026-03-02T00:00:00.000Z';
const SHARE = 0.5;
const playbooks = loadPlaybooks();

let dir: string;
let store: FileRecordStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-card-arms-'));
  store = new FileRecordStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The first customer ids the arm hash puts in each arm of program `winback` at a 50% share. */
function idsByArm(): { treated: string; control: string } {
  const found: Partial<Record<'treatment' | 'control', string>> = {};
  for (let i = 0; found.treatment === undefined || found.control === undefined; i++) {
    const id = `vip${i}`;
    found[assignArm(TENANT, 'winback', id, SHARE)] ??= id;
  }
  return { treated: found.treatment!, control: found.control! };
}

/**
 * Ten customers with predicted CLV 1 … 10 at low churn risk, and the two given ones at the top of the CLV
 * range (quintile 5) and high churn risk, with identical Scores: only the arm can tell their cards apart.
 */
async function seedRun(treated: string, control: string): Promise<void> {
  const others = Array.from({ length: 10 }, (_, i) =>
    programScore(`c${i}`, { clvPredicted: i + 1, churnRisk: 'low', churnProbability: 0.1 }),
  );
  const vip = {
    clvPredicted: 500,
    churnRisk: 'high' as const,
    churnProbability: 0.7,
    expectedOrderValue: 250,
    scoredAt: SCORED_AT,
  };
  const scores = [...others, programScore(treated, vip), programScore(control, vip)];
  await store.putRecords(
    TENANT,
    'customer',
    scores.map((s) => customerRecord(s.customerId, { tenant: TENANT, firstName: 'Ann' })),
  );
  await store.putScoreRun(TENANT, programRun(SCORED_AT, scores.length), scores);
}

/** The write-back's enrolment step over the stored run. */
async function writeBack(): Promise<void> {
  const stored = (await store.readScoreRun(TENANT))!;
  await assignRetentionGroups(store, TENANT, stored);
}

async function card(service: ReturnType<typeof createCardService>, id: string): Promise<CardResponse> {
  const lookup = await service.card(TENANT, id);
  if (!lookup.found) throw new Error(lookup.reason);
  return JSON.parse(lookup.json) as CardResponse;
}

/** A card service that reads the store on every request, on the day after the run. */
const dayAfterService = () =>
  createCardService({ store, playbooks, headerCheckMs: 0, now: () => Date.parse(SCORED_AT) + DAY_MS });

const ids = (c: CardResponse) => c.actions.map((a) => a.id);
const RETENTION_ACTIONS = ['save-valuable-at-risk', 'retention-offer'];

describe('contact card and retention program arms', () => {
  it('holds the retention call back from a control customer and shows it to a treated one with the same scores', async () => {
    const { treated, control } = idsByArm();
    await seedRun(treated, control);
    await writePrograms(store, TENANT, [
      buildProgram({ treatmentShare: SHARE, eligibility: { churnRisk: ['high'] } }),
    ]);
    await writeBack();
    const service = dayAfterService();

    const t = await card(service, treated);
    const c = await card(service, control);
    // The rule's title: "Call {{name}} this week: valuable and at high churn risk".
    expect(t.actions.find((a) => a.id === 'save-valuable-at-risk')?.title).toBe(
      'Call Ann this week: valuable and at high churn risk',
    );
    expect(ids(c)).not.toEqual(expect.arrayContaining(['save-valuable-at-risk']));
    expect(ids(c)).not.toEqual(expect.arrayContaining(['retention-offer']));
    // The control customer still gets what the holdout does not withhold: "Plan a win-back for {{name}}".
    expect(c.actions.find((a) => a.id === 'win-back-task')?.title).toBe('Plan a win-back for Ann');
  });

  it('shows the arm on the next request after the header check window once a write-back has enrolled', async () => {
    const { treated, control } = idsByArm();
    await seedRun(treated, control);
    let clock = Date.parse(SCORED_AT) + DAY_MS;
    const service = createCardService({ store, playbooks, headerCheckMs: 250, now: () => clock });

    // A program added but nobody enrolled yet: no group, which counts as none, so the call shows.
    await writePrograms(store, TENANT, [buildProgram({ treatmentShare: SHARE })]);
    expect(ids(await card(service, control))).toContain('save-valuable-at-risk');

    await writeBack();
    // Within the window the cached card stands (one header read serves the window) …
    clock += 100;
    expect(ids(await card(service, control))).toContain('save-valuable-at-risk');
    // … and the first request after it sees the enrolment.
    clock += 200;
    const after = await card(service, control);
    for (const id of RETENTION_ACTIONS) expect(ids(after)).not.toContain(id);
    expect(ids(await card(service, treated))).toContain('save-valuable-at-risk');
  });

  it("gives 'none' once the program ends or the window closes: the retention call is back", async () => {
    const { treated, control } = idsByArm();
    await seedRun(treated, control);
    await writePrograms(store, TENANT, [buildProgram({ treatmentShare: SHARE, windowDays: 30 })]);
    await writeBack();
    let clock = Date.parse(SCORED_AT) + DAY_MS;
    const service = createCardService({ store, playbooks, headerCheckMs: 0, now: () => clock });
    expect(ids(await card(service, control))).not.toContain('save-valuable-at-risk');

    // The window closes 30 days after enrolment (enrolled at the run's scoredAt): none from then on.
    clock = Date.parse(SCORED_AT) + 30 * DAY_MS - 1;
    expect(ids(await card(service, control))).not.toContain('save-valuable-at-risk');
    clock = Date.parse(SCORED_AT) + 30 * DAY_MS;
    expect(ids(await card(service, control))).toContain('save-valuable-at-risk');

    // An ended program (window still open) also gives none.
    clock = Date.parse(SCORED_AT) + DAY_MS;
    const fresh = createCardService({ store, playbooks, headerCheckMs: 0, now: () => clock });
    expect(ids(await card(fresh, control))).not.toContain('save-valuable-at-risk');
    await writePrograms(store, TENANT, [
      buildProgram({
        treatmentShare: SHARE,
        windowDays: 30,
        status: 'ended',
        endedAt: '2026-03-03T00:00:00.000Z',
      }),
    ]);
    expect(ids(await card(fresh, control))).toContain('save-valuable-at-risk');
  });

  describe("a program's offer", () => {
    // Pricing guidance (playbooks/pricing.ts) for the VIP Scores: p·u·V/O = 0.7 × 0.1 × 500 / 250 = 0.14,
    // rounded down to the 5% step: 10% off, 0.10 × 250 = 25 EUR on the expected order.
    const GUIDED = { discount: 0.1, amount: 25, currency: 'EUR' };

    async function cardsFor(offer: 'pricing-guidance' | 'none') {
      const { treated, control } = idsByArm();
      await seedRun(treated, control);
      await writePrograms(store, TENANT, [buildProgram({ treatmentShare: SHARE, offer })]);
      await writeBack();
      const service = dayAfterService();
      return { t: await card(service, treated), c: await card(service, control) };
    }
    const offers = (c: CardResponse) => c.actions.filter((a) => a.offer !== undefined);

    it("puts the pricing guidance on a treated customer's retention call, and none on the control twin", async () => {
      const { t, c } = await cardsFor('pricing-guidance');
      // The offer is part of the retention call; the separate offer action does not repeat it.
      expect(ids(t)).toEqual(['save-valuable-at-risk', 'win-back-task']);
      expect(t.actions[0].offer).toEqual(GUIDED);
      expect(ids(c)).toEqual(['win-back-task']);
      expect(offers(c)).toEqual([]);
      // The playbook (the general one: these Scores have no segment) says the same of the discount.
      const playbookText = (r: CardResponse) => r.playbook.sections.map((s) => s.text).join('\n');
      expect(playbookText(t)).toContain('Up to 10% off the next order');
      expect(playbookText(c)).not.toContain('off the next order');
    });

    it("shows no offer to either arm of a program whose offer is 'none'", async () => {
      const { t, c } = await cardsFor('none');
      expect(ids(t)).toEqual(['save-valuable-at-risk', 'win-back-task']);
      expect(offers(t)).toEqual([]);
      expect(offers(c)).toEqual([]);
    });

    it("follows an offer changed to 'none' on the next request (the program revision moved)", async () => {
      const { treated } = idsByArm();
      const { t } = await cardsFor('pricing-guidance');
      expect(offers(t)).toHaveLength(1);
      const service = dayAfterService();
      expect(offers(await card(service, treated))).toHaveLength(1);
      await writePrograms(store, TENANT, [buildProgram({ treatmentShare: SHARE, offer: 'none' })]);
      expect(offers(await card(service, treated))).toEqual([]);
    });
  });
});
