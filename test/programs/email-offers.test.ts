/**
 * The segment email's offer from the stored programs: a treated/control pair with identical Scores in a live
 * pricing-guidance program; only the treated one is offered the guidance's discount, and a program whose
 * offer is 'none' offers nobody anything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentEmailContexts } from '../../playbooks/email';
import { assignArm } from '../../worker/analytics/programs';
import { assignRetentionGroups, programEmailOffers, writePrograms } from '../../worker/programs';
import { FileRecordStore } from '../../worker/state';
import { buildProgram, programRun, programScore } from './builders';

const TENANT = 'hubspot-42';
const SCORED_AT = '2026-03-02T00:00:00.000Z';
const DAY_MS = 86_400_000;
const SHARE = 0.5;

let dir: string;
let store: FileRecordStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-clv-email-offers-'));
  store = new FileRecordStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function pair(): { treated: string; control: string } {
  const found: Partial<Record<'treatment' | 'control', string>> = {};
  for (let i = 0; found.treatment === undefined || found.control === undefined; i++)
    found[assignArm(TENANT, 'winback', `vip${i}`, SHARE)] ??= `vip${i}`;
  return { treated: found.treatment!, control: found.control! };
}

async function offersWith(offer: 'pricing-guidance' | 'none') {
  const { treated, control } = pair();
  // p 0.6, V 500, O 250: p·u·V/O = 0.6 × 0.1 × 500 / 250 = 0.12 → 10% after rounding down to the 5% step.
  const same = { clvPredicted: 500, expectedOrderValue: 250, rfmSegment: 'At Risk' as const };
  const scores = [programScore(treated, same), programScore(control, same)];
  const run = programRun(SCORED_AT, scores.length);
  await writePrograms(store, TENANT, [buildProgram({ treatmentShare: SHARE, offer })]);
  await assignRetentionGroups(store, TENANT, { run, scores });
  const at = Date.parse(SCORED_AT) + DAY_MS;
  return {
    treated,
    scores,
    offers: await programEmailOffers(store, TENANT, { scores, currency: 'EUR' }, at),
  };
}

describe('programEmailOffers', () => {
  it("offers the treated customer the guidance's discount and the control twin nothing", async () => {
    const { treated, scores, offers } = await offersWith('pricing-guidance');
    expect(offers).toEqual(new Map([[treated, 0.1]]));
    const [rfm] = segmentEmailContexts(scores, 'EUR', offers);
    expect(rfm.offer).toEqual({ discount: 0.1, customers: 1 });
  });

  it("offers nobody anything in a program whose offer is 'none'", async () => {
    const { offers } = await offersWith('none');
    expect(offers.size).toBe(0);
  });
});
