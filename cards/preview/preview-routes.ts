/**
 * `/preview` and `/preview/contacts/:id`: the demo portal's cards as HTML, for `npm start` only (local, the
 * demo tenant only, unsigned). `crm-clv serve` never mounts them: a real portal's cards are reached only
 * through the signed API. The page is the card API's own answer (the same CardService), rendered.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Score } from '../../domain/score';
import type { CardResponse } from '../contact-card/card-response';
import type { CardService } from '../contact-card/card-service';
import type { TenantIndex } from '../contact-card/tenant-index';
import { escapeHtml, money, page, percent, renderCardHtml } from './render-card-html';

export type PreviewContact = { label: string; contactId: string; why: string };

const contactId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a contact id');

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

export function previewRoutes(options: { tenant: string; cards: CardService }): Router {
  const router = Router();
  router.get('/preview', async (_req, res, next) => {
    try {
      const index = await options.cards.indexes.get(options.tenant);
      const picks = interestingContacts(index);
      const rows: string[] = [];
      for (const pick of picks) {
        const found = await options.cards.card(options.tenant, pick.contactId);
        const card = found.found ? (JSON.parse(found.json) as CardResponse) : undefined;
        rows.push(
          `<tr data-testid="preview-contact"><td>${escapeHtml(pick.label)}</td><td><a href="/preview/contacts/${encodeURIComponent(pick.contactId)}">${escapeHtml(
            card?.firstName ?? pick.contactId,
          )}</a></td><td>${escapeHtml(card?.segment?.name ?? '—')}</td><td>${
            card ? escapeHtml(money(card.clv.predicted, card.clv.currency)) : '—'
          }</td><td>${card?.churn ? `${escapeHtml(card.churn.band)} (${percent(card.churn.probability)})` : '—'}</td></tr>`,
        );
      }
      res.setHeader('Cache-Control', 'no-store');
      res.type('html').send(
        page(
          'Contact card preview',
          `<h1>Contact card preview</h1><p class="muted">The demo portal ${escapeHtml(options.tenant)} (local demo only): each page renders the card API's answer for that contact.</p>
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
      const found = await options.cards.card(options.tenant, id.data);
      res.setHeader('Cache-Control', 'no-store');
      if (!found.found) {
        res
          .status(404)
          .type('html')
          .send(
            page(
              'Not found',
              `<h1>Not found</h1><p>${escapeHtml(found.reason)}</p><p><a href="/preview">← back</a></p>`,
            ),
          );
        return;
      }
      res.type('html').send(renderCardHtml(JSON.parse(found.json) as CardResponse, { back: '/preview' }));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
