/**
 * `/dashboard?tenant=<tenant>`: the manager dashboard, behind the operator's HTTP Basic login
 * (CRM_CLV_ADMIN_USER / CRM_CLV_ADMIN_PASSWORD; never open: without a password it answers 503), and
 * `/dashboard/list-filter?tenant=&segment=`: a segment's HubSpot list filter (Lists v3 JSON).
 *
 * "Change since the last run": the store keeps only the latest run, so the dashboard keeps each run's segment
 * sizes and values itself when it first sees the run (in Redis beside the tenant's state, the last two, or in
 * memory when no Redis answers). The first run it sees has nothing to compare with, and says so.
 */
import { Router } from 'express';
import { z } from 'zod';
import { enumerationFilter, listFilter, SEGMENT_PROPERTY } from '../../connectors/hubspot/filters';
import { CONTRACT_BY_NAME } from '../../connectors/salesforce/writeback/contract-fields';
import { parseCrmTenantId, tenantKey, type Crm } from '../../domain/tenant';
import { basicAuth, type BasicCredentials } from '../auth/basic-auth';
import type { CardService } from '../contact-card/card-service';
import type { CardStore } from '../contact-card/tenant-index';
import { withTimeout, type RedisLink } from '../redis/redis-link';
import { escapeHtml, money, page, percent } from '../preview/render-card-html';
import {
  dashboardSummary,
  segmentSnapshot,
  type DashboardSummary,
  type SegmentSnapshot,
} from './dashboard-summary';
import { measurePrograms, ProgramStoreCorruptError, type ProgramResult } from '../../worker/programs';
import { programsSection } from './programs-section';
import { CAMPAIGNS_PATH, revenuePages } from './revenue-pages';
import { readSalesPerformance } from '../../worker/jobs/store-sales-performance';
import { renderPerformanceSection } from './render-performance';

export const DASHBOARD_PATH = '/dashboard';

const tenantSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a tenant id such as hubspot-1000');
const dashboardQuery = z.object({ tenant: tenantSchema });
const filterQuery = z.object({ tenant: tenantSchema, segment: z.string().min(1).max(100) });

export type DashboardOptions = {
  credentials: BasicCredentials | undefined;
  cards: CardService;
  store: CardStore;
  redis: RedisLink;
  statePrefix: string;
  redisTimeoutMs: number;
  /** The tenant the page opens without ?tenant= (the demo's portal). */
  defaultTenant?: string;
  /** Tenants the page links to (the demo's HubSpot portal and Salesforce org). */
  tenants?: readonly string[];
};

/** The sync cursors whose time the freshness table shows, by CRM (connectors' cursor names). */
const FRESHNESS_CURSORS: Record<Crm, { name: string; cursor: string }[]> = {
  hubspot: ['contacts', 'deals', 'tickets'].map((name) => ({ name, cursor: `hubspot:${name}` })),
  salesforce: ['Contact', 'Opportunity', 'Case'].map((name) => ({ name, cursor: `salesforce:${name}` })),
};

/** The Contact field a Salesforce list view or report filters a segment on (the property contract's). */
const SALESFORCE_SEGMENT_FIELD = CONTRACT_BY_NAME.get('clv_segment')!.field;

const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Keeps the segment figures of the runs the dashboard has seen: the last two per tenant. */
function segmentHistory(options: DashboardOptions) {
  const memory = new Map<string, SegmentSnapshot[]>();
  const key = (tenant: string) => `${options.statePrefix}:{${tenantKey(tenant)}}:dashboard-segments`;
  return async (snapshot: SegmentSnapshot, tenant: string): Promise<SegmentSnapshot | undefined> => {
    let list: SegmentSnapshot[] | undefined;
    try {
      const redis = await options.redis.connected(options.redisTimeoutMs);
      const stored = await withTimeout(redis.lrange(key(tenant), 0, 1), options.redisTimeoutMs, 'no answer');
      list = stored.map((text) => JSON.parse(text) as SegmentSnapshot);
      if (list[0]?.commit !== snapshot.commit) {
        await redis.multi().lpush(key(tenant), JSON.stringify(snapshot)).ltrim(key(tenant), 0, 1).exec();
        list = [snapshot, ...list];
      }
    } catch {
      list = memory.get(tenant) ?? [];
      if (list[0]?.commit !== snapshot.commit) list = [snapshot, ...list].slice(0, 2);
      memory.set(tenant, list);
    }
    return list.find((s) => s.commit !== snapshot.commit);
  };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** How to list a segment's contacts in the tenant's CRM: a HubSpot list filter, a Salesforce list view filter. */
function segmentListCell(tenant: string, crm: Crm | undefined, segmentId: string): string {
  if (crm === 'salesforce')
    return `<code data-testid="segment-filter">${escapeHtml(`${SALESFORCE_SEGMENT_FIELD} = ${soqlString(segmentId)}`)}</code>`;
  const filter = `/dashboard/list-filter?tenant=${encodeURIComponent(tenant)}&segment=${encodeURIComponent(segmentId)}`;
  return `<a href="${escapeHtml(filter)}">list filter</a>`;
}

function listHelp(crm: Crm | undefined, accountId: string | undefined): string {
  if (crm === 'salesforce')
    return `The last column is the filter of a Contact list view or report on “${SALESFORCE_SEGMENT_FIELD} equals [segment]” (the field write-back fills).`;
  return `A list filter is the Lists v3 JSON for “${SEGMENT_PROPERTY} is any of [segment]”${
    accountId
      ? `; create the list in <a href="https://app.hubspot.com/contacts/${encodeURIComponent(accountId)}/lists">HubSpot's lists</a>`
      : ''
  }.`;
}

export function renderDashboard(
  s: DashboardSummary,
  freshness: { name: string; at: string | null }[],
  tenants: readonly string[] = [],
  programs: { results: readonly ProgramResult[]; problem?: string } = { results: [] },
  performance = '',
): string {
  const c = s.currency;
  const account = parseCrmTenantId(s.tenant);
  const maxBucket = Math.max(1, ...s.clvBuckets.map((b) => b.value));
  const maxRisk = Math.max(1, ...s.risk.map((r) => r.customers));
  const seg = s.segments
    .map((r) => {
      return `<tr data-testid="segment-row"><td>${escapeHtml(r.name)}<br><span class="muted">${escapeHtml(r.id)}</span></td><td>${r.size}</td><td>${escapeHtml(
        money(r.value, c),
      )}</td><td>${escapeHtml(money(r.historic, c))}</td><td>${r.size ? percent(r.highRisk / r.size) : '—'}</td><td>${
        r.change
          ? `${signed(r.change.size)} customers, ${r.change.value >= 0 ? '+' : ''}${escapeHtml(money(r.change.value, c))}`
          : '—'
      }</td><td>${segmentListCell(s.tenant, account?.crm, r.id)}</td></tr>`;
    })
    .join('');
  const others = tenants.filter((t) => t !== s.tenant);
  const switcher =
    others.length === 0
      ? ''
      : `<p class="muted">Other tenants: ${others
          .map(
            (t) =>
              `<a data-testid="tenant-link" href="${escapeHtml(`${DASHBOARD_PATH}?tenant=${encodeURIComponent(t)}`)}">${escapeHtml(t)}</a>`,
          )
          .join(' · ')}</p>`;
  const buckets = s.clvBuckets
    .map(
      (b) =>
        `<tr><td>${escapeHtml(b.label)}</td><td>${escapeHtml(money(b.from, c))} – ${escapeHtml(money(b.to, c))}</td><td>${b.customers}</td><td>${escapeHtml(
          money(b.value, c),
        )}</td><td style="width:35%"><div class="bar" style="width:${Math.round((100 * b.value) / maxBucket)}%"></div></td></tr>`,
    )
    .join('');
  const risk = s.risk
    .map(
      (r) =>
        `<tr data-testid="risk-row"><td><span class="tag risk-${r.band}">${r.band}</span></td><td>${r.customers}</td><td>${escapeHtml(
          money(r.value, c),
        )}</td><td style="width:35%"><div class="bar" style="width:${Math.round((100 * r.customers) / maxRisk)}%"></div></td></tr>`,
    )
    .join('');
  const drift = s.model.drift.length
    ? `<table><tbody>${s.model.drift
        .slice(0, 8)
        .map(
          (d) =>
            `<tr><td>${escapeHtml(d.feature)}</td><td>PSI ${d.psi.toFixed(3)}</td><td>${d.psi > 0.25 ? 'large shift' : d.psi > 0.1 ? 'moderate shift' : 'stable'}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">No retrain has measured drift yet (drift is measured by the weekly retrain).</p>';
  const body = `<h1>${escapeHtml(s.tenant)} — customer value dashboard</h1>${switcher}
<p class="muted"><a data-testid="campaigns-link" href="${escapeHtml(`${CAMPAIGNS_PATH}?tenant=${encodeURIComponent(s.tenant)}`)}">Campaigns and segment emails</a></p>
<p class="muted">Run ${escapeHtml(s.runId ?? 'none')} · scored ${escapeHtml(s.scoredAt ?? 'never')} · ${s.customers} scored of ${s.synced} synced contacts · CLV over ${s.months} months</p>
<div class="card"><div class="stats">
<div class="stat"><div class="label">Predicted CLV, all</div><div class="value" data-testid="total-clv">${escapeHtml(
    money(
      s.segments.reduce((a, r) => a + r.value, 0),
      c,
    ),
  )}</div></div>
<div class="stat"><div class="label">Revenue at risk</div><div class="value" data-testid="revenue-at-risk">${escapeHtml(money(s.revenueAtRisk, c))}</div><div class="muted">Σ churn probability × predicted CLV</div></div>
<div class="stat"><div class="label">High-risk value</div><div class="value">${escapeHtml(money(s.highRiskValue, c))}</div></div>
<div class="stat"><div class="label">Model</div><div class="value" data-testid="model-version">${escapeHtml(s.model.version ?? '—')}</div><div class="muted">holdout RMSE ${s.model.holdoutRmse?.toFixed(3) ?? 'n/a'} · churn AUC ${s.model.churnAuc?.toFixed(3) ?? 'n/a'}</div></div>
</div></div>
<div class="card"><h2>Segments</h2><p class="muted">${
    s.comparedWith
      ? `Change since run ${escapeHtml(s.comparedWith.runId)} (scored ${escapeHtml(s.comparedWith.scoredAt)}).`
      : 'No earlier run to compare with: the store keeps only the latest run, and this dashboard has seen no run before it. Changes show from the next run on.'
  } ${listHelp(account?.crm, account?.accountId)}</p>
<table><thead><tr><th>Segment</th><th>Customers</th><th>Predicted CLV</th><th>Revenue to date</th><th>High risk</th><th>Change</th><th></th></tr></thead><tbody>${seg}</tbody></table></div>
<div class="card"><h2>CLV distribution</h2><table><thead><tr><th></th><th>Range</th><th>Customers</th><th>Predicted CLV</th><th></th></tr></thead><tbody>${buckets}</tbody></table></div>
<div class="card"><h2>Churn risk</h2><table><thead><tr><th>Band</th><th>Customers</th><th>Predicted CLV</th><th></th></tr></thead><tbody>${risk}</tbody></table></div>
<div class="card"><h2>Model accuracy and drift</h2><p>Version ${escapeHtml(s.model.version ?? '—')}, trained ${escapeHtml(s.model.trainedAt ?? '—')}. Holdout RMSE (purchases per customer) ${
    s.model.holdoutRmse?.toFixed(3) ?? 'n/a'
  }; churn AUC ${s.model.churnAuc?.toFixed(3) ?? 'n/a'}.${
    s.model.driftCheckedAt
      ? ` Last retrain ${escapeHtml(s.model.driftCheckedAt)}: ${s.model.lastRetrainPromoted ? 'promoted' : 'not promoted'}.`
      : ''
  }</p>${drift}</div>
${programsSection(programs.results, programs.problem)}
<div class="card"><h2>Data freshness</h2><table><tbody><tr><td>Scored</td><td data-testid="scored-at">${escapeHtml(s.scoredAt ?? 'never')}</td></tr>${freshness
    .map(
      (f) =>
        `<tr data-testid="freshness-row"><td>Last sync of ${escapeHtml(f.name)}</td><td>${escapeHtml(f.at ?? 'never')}</td></tr>`,
    )
    .join('')}</tbody></table></div>${performance}`;
  return page(`${s.tenant} dashboard`, body);
}

/**
 * The last modification time a sync cursor reached, as ISO text: HubSpot's cursors hold epoch milliseconds,
 * Salesforce's a SystemModstamp (ISO), both as `{since, …}` JSON or bare.
 */
export function cursorTime(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let since: unknown = raw;
  try {
    since = /^\d+$/.test(raw)
      ? Number(raw)
      : raw.trim().startsWith('{')
        ? (JSON.parse(raw) as { since?: unknown }).since
        : raw;
  } catch {
    return null;
  }
  if (typeof since === 'string') since = Date.parse(since);
  return typeof since === 'number' && Number.isFinite(since) ? new Date(since).toISOString() : null;
}

/** The tenant's programs measured now; a corrupt program store is shown on the card, not a broken page. */
async function dashboardPrograms(
  store: CardStore,
  tenant: string,
): Promise<{ results: ProgramResult[]; problem?: string }> {
  try {
    return { results: await measurePrograms(store, tenant, new Date()) };
  } catch (error) {
    if (error instanceof ProgramStoreCorruptError) return { results: [], problem: error.message };
    throw error;
  }
}

export function dashboardRoutes(options: DashboardOptions): Router {
  const router = Router();
  const previousOf = segmentHistory(options);
  router.use(DASHBOARD_PATH, basicAuth(options.credentials, 'crm-clv dashboard'));
  router.use(revenuePages(options.store));

  router.get(DASHBOARD_PATH, async (req, res, next) => {
    try {
      const query = dashboardQuery.safeParse({ tenant: req.query.tenant ?? options.defaultTenant });
      if (!query.success) {
        const issue = query.error.issues[0];
        res.status(400).json({
          error: 'INVALID_REQUEST',
          message: `tenant: ${issue.code === 'invalid_type' ? 'is required in the query but was not provided' : issue.message}`,
        });
        return;
      }
      const tenant = query.data.tenant;
      const index = await options.cards.indexes.get(tenant);
      if (index.run === undefined && index.customers.size === 0) {
        res
          .status(404)
          .json({ error: 'TENANT_NOT_FOUND', message: `${tenant} has no synced or scored data` });
        return;
      }
      const snapshot = segmentSnapshot(index);
      const previous = snapshot === undefined ? undefined : await previousOf(snapshot, tenant);
      const crm = parseCrmTenantId(tenant)?.crm ?? 'hubspot';
      const freshness = await Promise.all(
        FRESHNESS_CURSORS[crm].map(async ({ name, cursor }) => ({
          name,
          at: cursorTime(await options.store.getCursor(tenant, cursor)),
        })),
      );
      const programs = await dashboardPrograms(options.store, tenant);
      const performance = renderPerformanceSection(await readSalesPerformance(options.store, tenant));
      res
        .type('html')
        .send(
          renderDashboard(
            dashboardSummary(index, previous),
            freshness,
            options.tenants,
            programs,
            performance,
          ),
        );
    } catch (error) {
      next(error);
    }
  });

  router.get(`${DASHBOARD_PATH}/list-filter`, (req, res) => {
    const query = filterQuery.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0];
      res
        .status(400)
        .json({ error: 'INVALID_REQUEST', message: `${issue.path.join('.')}: ${issue.message}` });
      return;
    }
    res.json(listFilter([enumerationFilter(SEGMENT_PROPERTY, [query.data.segment])]));
  });
  return router;
}
