/**
 * The card API's answer as an HTML page, so a person (and a browser test) sees what a rep's card shows. Every
 * value is escaped except `playbook.html`, which the playbook renderer escaped already.
 */
import type { CardResponse } from '../contact-card/card-response';

export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      amount,
    );
  } catch {
    return `${Math.round(amount)} ${currency}`;
  }
}

export const percent = (p: number) => `${Math.round(p * 100)}%`;

export const PAGE_STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f8fa;color:#33475b}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:20px 0 8px} h3{font-size:15px} h4{font-size:14px;margin:12px 0 4px}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:16px 20px;margin-bottom:16px}
.stats{display:flex;flex-wrap:wrap;gap:16px}.stat{min-width:140px}.stat .label{font-size:12px;color:#516f90;text-transform:uppercase}
.stat .value{font-size:22px;font-weight:600}
.tag{display:inline-block;padding:2px 8px;border-radius:3px;font-size:13px;background:#eaf0f6;margin-right:6px}
.risk-high{background:#fde8e9;color:#b3001b}.risk-medium{background:#fef8e6;color:#8a5a00}.risk-low{background:#e5f8f4;color:#00715b}
.muted{color:#516f90;font-size:13px} table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #eaf0f6;font-size:14px}
.bar{background:#0091ae;height:14px;border-radius:2px}.warn{background:#fef8e6;border-color:#f5c26b}
a{color:#0091ae}`;

/** A whole page; `style` adds to PAGE_STYLE. */
export function page(title: string, body: string, style = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${PAGE_STYLE}${style}</style></head><body><main>${body}</main></body></html>`;
}

export function renderCardHtml(card: CardResponse, options: { back?: string } = {}): string {
  const c = card.clv.currency;
  const who = card.firstName ?? `Contact ${card.contactId}`;
  const parts: string[] = [];
  if (options.back) parts.push(`<p><a href="${escapeHtml(options.back)}">← all preview contacts</a></p>`);
  parts.push(
    `<h1 data-testid="name">${escapeHtml(who)}</h1><p class="muted">Contact ${escapeHtml(card.contactId)} · ${escapeHtml(card.tenant)}</p>`,
  );
  if (card.status === 'too-little-history')
    parts.push(
      `<div class="card warn" data-testid="reason"><strong>Too little history.</strong> ${escapeHtml(card.reason ?? '')}</div>`,
    );
  const tags: string[] = [];
  if (card.segment)
    tags.push(
      `<span class="tag" data-testid="segment" title="${escapeHtml(card.segment.id)}">${escapeHtml(card.segment.name)}</span>`,
    );
  if (card.rfm)
    tags.push(
      `<span class="tag" data-testid="rfm">${escapeHtml(card.rfm.segment)} · RFM ${escapeHtml(card.rfm.score)}</span>`,
    );
  if (card.churn)
    tags.push(
      `<span class="tag risk-${escapeHtml(card.churn.band)}" data-testid="risk">${escapeHtml(card.churn.band)} churn risk</span>`,
    );
  parts.push(`<div class="card">${tags.join('')}${card.segment ? `<p class="muted">${escapeHtml(card.segment.description)}</p>` : ''}
<div class="stats">
<div class="stat"><div class="label">Predicted CLV (${card.clv.months} mo)</div><div class="value" data-testid="clv-predicted">${escapeHtml(money(card.clv.predicted, c))}</div></div>
<div class="stat"><div class="label">Revenue to date</div><div class="value" data-testid="clv-historic">${escapeHtml(money(card.clv.historic, c))}</div></div>
<div class="stat"><div class="label">P(alive)</div><div class="value">${card.pAlive === null ? '—' : percent(card.pAlive)}</div></div>
<div class="stat"><div class="label">Churn probability</div><div class="value" data-testid="churn-probability">${card.churn ? percent(card.churn.probability) : '—'}</div></div>
<div class="stat"><div class="label">Next order</div><div class="value">${escapeHtml(card.nextOrderDate ?? '—')}</div></div>
</div></div>`);
  if (card.churn && card.churn.drivers.length > 0)
    parts.push(
      `<div class="card"><h2>Why this churn risk</h2><ul>${card.churn.drivers.map((d) => `<li>${escapeHtml(d.text)}</li>`).join('')}</ul></div>`,
    );
  if (card.actions.length > 0)
    parts.push(
      `<div class="card"><h2>Next best actions</h2><table><tbody>${card.actions
        .map(
          (a) =>
            `<tr data-testid="action"><td><strong>${escapeHtml(a.title)}</strong><br><span class="muted">${escapeHtml(a.reason)}</span>${
              a.offer
                ? `<br><span class="tag">offer: up to ${percent(a.offer.discount)} (${escapeHtml(money(a.offer.amount, a.offer.currency))})</span>`
                : ''
            }</td><td><span class="tag">${escapeHtml(a.kind)}</span></td></tr>`,
        )
        .join('')}</tbody></table></div>`,
    );
  if (card.recommendations.length > 0)
    parts.push(
      `<div class="card"><h2>Recommended products</h2><ul>${card.recommendations
        .map(
          (r) =>
            `<li><strong>${escapeHtml(r.productName)}</strong> <span class="muted">${escapeHtml(r.reason)}</span></li>`,
        )
        .join('')}</ul></div>`,
    );
  // playbook.html is escaped by the playbook renderer (every value filled in went through escapeHtml).
  parts.push(`<div class="card" data-testid="playbook">${card.playbook.html}</div>`);
  const m = card.model;
  parts.push(
    `<p class="muted">Model ${escapeHtml(m.version)} · holdout RMSE ${m.holdoutRmse === null ? 'n/a' : m.holdoutRmse.toFixed(3)} · churn AUC ${
      m.churnAuc === null ? 'n/a' : m.churnAuc.toFixed(3)
    } · scored ${escapeHtml(m.scoredAt)}</p>`,
  );
  return page(`${who} — contact card preview`, parts.join('\n'));
}
