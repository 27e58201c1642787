/**
 * `/dashboard/campaigns?tenant=` (issue P8): the dashboard's campaign section (the campaign report: KPIs per
 * campaign with the observational comparison) and the segment email previews, behind the dashboard's login
 * (mounted inside dashboardRoutes). Read from the tenant's store like the rest of the dashboard; every value
 * is escaped, the email sections are escaped fragments already.
 */
import { Router } from 'express';
import { z } from 'zod';
import { defaultPlaybooksDir } from '../../playbooks/assets';
import { loadEmailTemplates, type EmailTemplates } from '../../playbooks/email';
import { segmentEmailsWithOffers } from '../../worker/programs/email-offers';
import { DEFAULT_CONVERSION_DAYS } from '../../worker/analytics/campaigns';
import { buildCampaignReport, type CampaignReport } from '../../worker/pipeline/campaign-report';
import { renderEmailFragment } from '../../worker/report/render-email-preview';
import type { CardStore } from '../contact-card/tenant-index';
import { escapeHtml, money, page, percent } from '../preview/render-card-html';

export const CAMPAIGNS_PATH = '/dashboard/campaigns';

const query = z.object({
  tenant: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be a tenant id such as hubspot-1000'),
  withinDays: z.coerce.number().int().min(1).max(3650).default(DEFAULT_CONVERSION_DAYS),
});

const orDash = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '—' : f(v));

export function renderCampaignsPage(report: CampaignReport, emails: string[]): string {
  const c = report.currency;
  const rows = report.campaigns
    .map((k) => {
      const cmp = k.comparison;
      return (
        `<tr data-testid="campaign-row"><td>${escapeHtml(k.name)}<br><span class="muted">${escapeHtml(k.channel ?? '')}</span></td>` +
        `<td>${k.members}</td><td>${orDash(k.responseRate, percent)}</td><td>${k.converted} (${orDash(k.conversionRate, percent)})</td>` +
        `<td>${escapeHtml(money(k.revenue, c))}</td><td>${escapeHtml(money(k.convertedClv, c))}</td>` +
        `<td>${escapeHtml(orDash(k.cost, (v) => money(v, c)))}</td><td data-testid="campaign-roi">${orDash(k.roi, percent)}</td>` +
        `<td>${cmp ? `${percent(cmp.memberConversionRate)} vs ${percent(cmp.baselineConversionRate)}; ${escapeHtml(money(cmp.incrementalRevenue, c))}` : '—'}</td></tr>`
      );
    })
    .join('');
  const body =
    `<h1>${escapeHtml(report.tenant)} — campaigns and segment emails</h1>` +
    `<p class="muted"><a href="/dashboard?tenant=${encodeURIComponent(report.tenant)}">Back to the dashboard</a> · score run ${escapeHtml(report.runId)}</p>` +
    `<div class="card" data-testid="campaigns"><h2>Campaigns</h2><p class="muted">Converted: a won order within ${report.withinDays} days of joining. ` +
    `${escapeHtml(report.note)}</p>` +
    (report.campaigns.length === 0
      ? '<p>No campaigns in the store yet.</p>'
      : `<table><thead><tr><th>Campaign</th><th>Members</th><th>Responded</th><th>Converted</th><th>Revenue</th><th>CLV of converted</th><th>Cost</th><th>ROI</th><th>vs matched non-members (observational)</th></tr></thead><tbody>${rows}</tbody></table>`) +
    `</div><div class="card" data-testid="emails"><h2>Segment emails</h2><p class="muted">HubSpot fills the {{ contact.… }} tokens when the email is sent (README, "Segment email content").</p>${emails.join('')}</div>`;
  return page(`${report.tenant} campaigns`, body);
}

export function revenuePages(store: CardStore): Router {
  const router = Router();
  let templates: EmailTemplates | undefined;
  router.get(CAMPAIGNS_PATH, async (req, res, next) => {
    try {
      const parsed = query.safeParse(req.query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        res
          .status(400)
          .json({ error: 'INVALID_REQUEST', message: `${issue.path.join('.')}: ${issue.message}` });
        return;
      }
      const { tenant, withinDays } = parsed.data;
      const scored = await store.readScoreRun(tenant);
      if (scored === undefined) {
        res.status(404).json({ error: 'TENANT_NOT_FOUND', message: `${tenant} has no score run` });
        return;
      }
      const report = await buildCampaignReport(
        { readRecords: store.readRecords.bind(store), readScoreRun: async () => scored },
        tenant,
        withinDays,
      );
      templates ??= loadEmailTemplates(defaultPlaybooksDir());
      const loaded = templates;
      const contexts = await segmentEmailsWithOffers(store, tenant, scored, Date.now());
      const emails = contexts.map((ctx) => renderEmailFragment(loaded.render(ctx)));
      res.type('html').send(renderCampaignsPage(report, emails));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
