/**
 * A seeded sandbox behind an outer express app that counts, per contact id, the batch-update inputs the
 * sandbox confirmed (results of 200/207 answers), and a real connection on a fake clock shared with the
 * sandbox's rate-limit clock.
 */
import type { HubSpotConnection } from '../../../../connectors/hubspot/create-client';
import {
  createHubSpotSandbox,
  type HubSpotSandbox,
  type HubSpotSandboxOptions,
} from '../../../../connectors/hubspot/sandbox';
import type { WantedValues } from '../../../../connectors/hubspot/changed-values';
import { fakeClock, seededRandom } from '../fake-clock';
import { serveBehind } from '../serve-behind';

export const TOKEN = 'sandbox-token';
export const RETRY = { random: seededRandom(7) };

export type WritebackHarness = {
  sandbox: HubSpotSandbox;
  /** The served sandbox's base URL, for raw requests. */
  url: string;
  connection: HubSpotConnection;
  clock: ReturnType<typeof fakeClock>;
  /** Contact id → batch-update inputs the sandbox confirmed. */
  confirmed: Map<string, number>;
  /** Batch-update requests that reached the sandbox (including 429 answers). */
  updateRequests: { inputs: number; status: number }[];
  /** Every request that reached the sandbox, with its answer's status. */
  requests: { method: string; path: string; status: number }[];
  /** When set, rewrites the sandbox's batch-update answers before the client sees them. */
  rewriteUpdateAnswer?: (status: number, body: unknown) => unknown;
  contactIds(): string[];
  close(): Promise<void>;
};

export async function startWritebackHarness(
  contacts = 300,
  overrides: Partial<HubSpotSandboxOptions> = {},
): Promise<WritebackHarness> {
  const clock = fakeClock(Date.parse('2026-11-20T12:00:00.000Z'));
  const sandbox = createHubSpotSandbox({
    token: TOKEN,
    portalId: '1000',
    seed: 11,
    contacts,
    now: clock.now,
    ...overrides,
  });
  const confirmed = new Map<string, number>();
  const updateRequests: { inputs: number; status: number }[] = [];
  const requests: { method: string; path: string; status: number }[] = [];
  const harness = {} as WritebackHarness;
  const served = await serveBehind(
    sandbox.app,
    (req, res, next) => {
      res.on('finish', () => requests.push({ method: req.method, path: req.path, status: res.statusCode }));
      if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/batch/update') {
        const json = res.json.bind(res);
        res.json = (body: unknown) => {
          const results = (body as { results?: { id: string }[] } | null)?.results;
          updateRequests.push({ inputs: results?.length ?? 0, status: res.statusCode });
          if ((res.statusCode === 200 || res.statusCode === 207) && Array.isArray(results))
            for (const r of results) confirmed.set(r.id, (confirmed.get(r.id) ?? 0) + 1);
          const rewrite = harness.rewriteUpdateAnswer;
          return json(rewrite ? rewrite(res.statusCode, body) : body);
        };
      }
      next();
    },
    TOKEN,
    clock,
  );
  return Object.assign(harness, {
    sandbox,
    url: served.url,
    connection: served.connection,
    clock,
    confirmed,
    updateRequests,
    requests,
    contactIds: () => sandbox.store.objects.contacts.ids.slice(),
    close: served.close,
  });
}

export const SEGMENTS = [
  { id: 'seg-loyal', name: 'Loyal high spenders' },
  { id: 'seg-new', name: 'New customers' },
  { id: 'seg-lapsing', name: 'Lapsing' },
];

const RISKS = ['low', 'medium', 'high'] as const;

/** Deterministic scores for contact number i, in the contract's types. */
export function scoresFor(i: number, segments = SEGMENTS): WantedValues {
  return {
    clv_segment: segments[i % segments.length].id,
    clv_rfm_segment: i % 2 === 0 ? 'champions' : 'hibernating',
    clv_rfm_score: `${(i % 5) + 1}${((i + 2) % 5) + 1}${((i + 4) % 5) + 1}`,
    clv_predicted_12m: 100 + i * 1.2345,
    clv_historic: 50 + i,
    clv_expected_orders_12m: (i % 7) / 3,
    clv_p_alive: 1 / (1 + (i % 9)),
    clv_churn_probability: 1 - 1 / (1 + (i % 9)),
    clv_churn_risk: RISKS[i % 3],
    clv_next_order_date: new Date(Date.UTC(2027, 0, 1 + (i % 28))),
    clv_next_best_action: `Offer ${i % 4}`,
    clv_retention_group: i % 10 === 0 ? 'control' : 'treatment',
    clv_scored_at: new Date(Date.UTC(2026, 10, 20)),
    clv_model_version: 'bgnbd-gg-1',
  };
}
