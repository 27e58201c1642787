/**
 * `/preview[?tenant=]` and `/preview/contacts/:id[?tenant=]`: the demo tenants' cards as HTML, for `npm start`
 * only (local, the demo's tenants only, unsigned; the first tenant is the default). `crm-clv serve` never mounts
 * them: a real account's cards are reached only through the signed APIs. A page is the card API's own answer
 * for that tenant (cardAnswerer, as the signed routes answer): a HubSpot portal's rendered as the card API's
 * HTML view, a Salesforce org's as its Lightning card shows it (the component's own view logic,
 * lightning-card-view.ts).
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Score } from '../../domain/score';
import { parseCrmTenantId, type Crm } from '../../domain/tenant';
import type { CardResponse } from '../contact-card/card-response';
import type { CardService } from '../contact-card/card-service';
import { cardAnswerer, type Answerer, type CardReply } from '../contact-card/contact-card-routes';
import type { TenantIndex } from '../contact-card/tenant-index';
import { lightningCardLoad } from './lightning-card-view';
import { escapeHtml, money, page, percent, renderCardHtml } from './render-card-html';
import { renderLightningCardHtml } from './render-lightning-card-html';

export type PreviewContact = { label: string; contactId: string; why: string };

export type PreviewOptions = {
  /** The demo's CRM tenants (`hubspot-1000`, `salesforce-00D…`); the first is the default. */
  tenants: readonly string[];
  cards: CardService;
  /** Resolves once the store can answer (as for the card API). */
  storeReady?: () => Promise<unknown>;
};

const contactId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a contact id');
/** The locale and time zone the preview renders a Lightning card in (the component takes the user's). */
const LIGHTNING_LOCALE = 'en-US';
const LIGHTNING_TIME_ZONE = 'UTC';

function best(scores: Iterable<Score>, keep: (s: Score) => boolean): Score | undefined {
  let top: Score | undefined;
  for (const s of scores) if (keep(s) && (top === undefined || s.clvPredicted > top.clvPredicted)) top = s;
  return top;
}

/** A champion, an at-risk big spender, a one-time buyer, and a contact with too little history. */
export function interestingContacts(index: TenantIndex): PreviewContact[] {
  const scores = [...index.scores.values()];
  const out: PreviewContact[] = [];
  const champion = best(scores, (s) => s.rfmSegment === 'Champions') ?? best(scores, () => true);
  if (champion)
    out.push({ label: 'A champion', contactId: champion.customerId, why: champion.rfmSegment ?? '' });
  const atRisk = best(scores, (s) => s.churnRisk === 'high' && s.customerId !== champion?.customerId);
  if (atRisk)
    out.push({
      label: 'An at-risk big spender',
      contactId: atRisk.customerId,
      why: 'highest CLV at high churn risk',
    });
  const oneTime = best(scores, (s) => index.facts.get(s.customerId)?.orders === 1);
  if (oneTime)
    out.push({ label: 'A one-time buyer', contactId: oneTime.customerId, why: 'one order so far' });
  for (const id of index.customers)
    if (!index.scores.has(id)) {
      out.push({ label: 'Too little history', contactId: id, why: 'synced, no won orders, not scored' });
      break;
    }
  return out;
}

type PreviewTenant = { tenant: string; crm: Crm; account: string };

const CRM_NAMES: Record<Crm, string> = { hubspot: 'HubSpot portal', salesforce: 'Salesforce org' };

const tenantQuery = (t: PreviewTenant) => `?tenant=${encodeURIComponent(t.tenant)}`;

function cardOf(reply: CardReply): CardResponse | undefined {
  return reply.status === 200 ? (JSON.parse(reply.json) as CardResponse) : undefined;
}

function notFoundPage(res: Response, message: string): void {
  res
    .status(404)
    .type('html')
    .send(
      page(
        'Not found',
        `<h1>Not found</h1><p>${escapeHtml(message)}</p><p><a href="/preview">← back</a></p>`,
      ),
    );
}

export function previewRoutes(options: PreviewOptions): Router {
  const tenants: PreviewTenant[] = options.tenants.map((tenant) => {
    const parsed = parseCrmTenantId(tenant);
    if (parsed === undefined)
      throw new RangeError(
        `preview tenant ${tenant} is not a CRM account (hubspot-<portal>, salesforce-<org>)`,
      );
    return { tenant, crm: parsed.crm, account: parsed.accountId };
  });
  if (tenants.length === 0) throw new RangeError('the preview needs at least one tenant');
  const answerers: Record<Crm, Answerer> = {
    hubspot: cardAnswerer(options, 'hubspot'),
    salesforce: cardAnswerer(options, 'salesforce'),
  };
  const answer = (t: PreviewTenant, contact: string) => answerers[t.crm](t.account, contact);
  /** The tenant the query names (default: the first); undefined for one the preview does not serve. */
  const pick = (raw: unknown): PreviewTenant | undefined =>
    raw === undefined ? tenants[0] : tenants.find((t) => t.tenant === raw);

  const router = Router();
  router.get('/preview', async (req, res, next) => {
    try {
      const current = pick(req.query.tenant);
      if (current === undefined)
        return notFoundPage(res, `the preview serves ${tenants.map((t) => t.tenant).join(' and ')} only`);
      const index = await options.cards.indexes.get(current.tenant);
      const rows: string[] = [];
      for (const contact of interestingContacts(index)) {
        const card = cardOf(await answer(current, contact.contactId));
        const href = `/preview/contacts/${encodeURIComponent(contact.contactId)}${tenantQuery(current)}`;
        rows.push(
          `<tr data-testid="preview-contact"><td>${escapeHtml(contact.label)}</td><td><a href="${escapeHtml(href)}">${escapeHtml(
            card?.firstName ?? contact.contactId,
          )}</a></td><td>${escapeHtml(card?.segment?.name ?? '—')}</td><td>${
            card ? escapeHtml(money(card.clv.predicted, card.clv.currency)) : '—'
          }</td><td>${card?.churn ? `${escapeHtml(card.churn.band)} (${percent(card.churn.probability)})` : '—'}</td></tr>`,
        );
      }
      const switcher = tenants
        .map((t) =>
          t === current
            ? `<strong data-testid="preview-tenant">${escapeHtml(CRM_NAMES[t.crm])} ${escapeHtml(t.tenant)}</strong>`
            : `<a href="/preview${escapeHtml(tenantQuery(t))}">${escapeHtml(CRM_NAMES[t.crm])} ${escapeHtml(t.tenant)}</a>`,
        )
        .join(' · ');
      const how =
        current.crm === 'salesforce'
          ? 'each page shows the Salesforce card API’s answer for that contact as the Lightning card on the Contact record page shows it'
          : 'each page renders the card API’s answer for that contact';
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(
        page(
          'Contact card preview',
          `<h1>Contact card preview</h1><p class="muted">Demo tenants (local demo only): ${switcher}</p>
<p class="muted">The ${escapeHtml(CRM_NAMES[current.crm])} ${escapeHtml(current.tenant)}: ${how}.</p>
<div class="card"><table><thead><tr><th></th><th>Contact</th><th>Segment</th><th>Predicted CLV</th><th>Churn risk</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/preview/contacts/:id', async (req, res, next) => {
    try {
      const id = contactId.safeParse(req.params.id);
      if (!id.success) {
        res.status(400).json({ error: 'INVALID_REQUEST', message: `id: ${id.error.issues[0].message}` });
        return;
      }
      const current = pick(req.query.tenant);
      if (current === undefined)
        return notFoundPage(res, `the preview serves ${tenants.map((t) => t.tenant).join(' and ')} only`);
      const reply = await answer(current, id.data);
      const back = `/preview${tenantQuery(current)}`;
      res.setHeader('Cache-Control', 'no-store');
      if (current.crm === 'salesforce') {
        const load = lightningCardLoad(
          { statusCode: reply.status, body: reply.json },
          LIGHTNING_LOCALE,
          LIGHTNING_TIME_ZONE,
        );
        const name = cardOf(reply)?.firstName ?? null;
        res
          .status(reply.status)
          .type('html')
          .send(renderLightningCardHtml(load, { tenant: current.tenant, contactId: id.data, name, back }));
        return;
      }
      const card = cardOf(reply);
      if (card === undefined) {
        const { message } = JSON.parse(reply.json) as { message?: string };
        res
          .status(reply.status)
          .type('html')
          .send(
            page(
              reply.status === 404 ? 'Not found' : 'Not available',
              `<h1>${reply.status === 404 ? 'Not found' : 'Not available'}</h1><p>${escapeHtml(message ?? '')}</p><p><a href="${escapeHtml(back)}">← back</a></p>`,
            ),
          );
        return;
      }
      res.type('html').send(renderCardHtml(card, { back }));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
