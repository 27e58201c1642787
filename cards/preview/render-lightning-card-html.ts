/**
 * A Salesforce contact's card in the demo preview, laid out as the Lightning component's template
 * (cards/salesforce/…/lwc/clvContactCard/clvContactCard.html) lays out what clvCardView made of the card API's
 * answer: the error, empty and fallback states, the badges, the four figures, the churn drivers, the next order,
 * recommended products, next best actions with their buttons, the playbook's sections and the model line, in the
 * template's order and words. SLDS is approximated by a few local styles. Every value is escaped (the view holds
 * the playbook as plain-text sections, as the component shows it).
 */
import { escapeHtml, page } from './render-card-html';
import type { LightningCardLoad, LightningCardView } from './lightning-card-view';

const LIGHTNING_STYLE = `
.record{background:#fff;border:1px solid #dddbda;border-radius:4px;padding:12px 16px;margin-bottom:12px}
.record .kind{font-size:12px;color:#706e6b;text-transform:uppercase}
.lwc-card{background:#fff;border:1px solid #dddbda;border-radius:4px;max-width:560px;box-shadow:0 2px 2px rgba(0,0,0,.1)}
.lwc-card header{display:flex;gap:8px;align-items:center;padding:12px 16px 0}.lwc-card header h2{margin:0;font-size:14px;font-weight:700}
.lwc-card .icon{display:inline-block;width:24px;height:24px;border-radius:4px;background:#3e8ed1}
.lwc-body{padding:8px 16px 16px}.lwc-badges{margin-bottom:4px}
.lwc-badge{display:inline-block;padding:2px 8px;margin:0 4px 4px 0;border-radius:15rem;font-size:12px;font-weight:700;background:#ecebea;color:#080707}
.slds-theme_info{background:#706e6b;color:#fff}.slds-theme_success{background:#2e844a;color:#fff}
.slds-theme_warning{background:#fe9339;color:#181818}.slds-theme_error{background:#ba0517;color:#fff}
.weak{color:#706e6b}.small{font-size:12px}.bold{font-weight:700;font-size:12px;text-transform:uppercase;color:#3e3e3c;margin-top:10px}
.lwc-grid{display:grid;grid-template-columns:1fr 1fr;gap:4px 12px;margin:8px 0}.lwc-stat .label{font-size:12px;color:#3e3e3c}
.lwc-stat .value{font-size:20px}.lwc-box{background:#f3f3f3;border:1px solid #dddbda;border-radius:4px;padding:8px 12px;margin-bottom:8px}
.lwc-action{padding:6px 0;border-bottom:1px solid #f3f3f3}.lwc-button{border:1px solid #c9c9c9;border-radius:4px;background:#fff;color:#0176d3;padding:2px 12px;margin-right:4px}
.lwc-button.brand{background:#0176d3;color:#fff;border-color:#0176d3}.lwc-error{color:#ba0517}
details{border-top:1px solid #dddbda;padding:6px 0}summary{cursor:pointer;font-weight:600}`;

const text = (value: string) => escapeHtml(value);

function loadedBody(view: LightningCardView): string {
  const parts: string[] = [];
  if (view.reason !== null)
    parts.push(
      `<div class="lwc-box" data-testid="lwc-reason"><div><strong>Not enough history to score this customer yet</strong></div><p>${text(view.reason)}</p></div>`,
    );
  parts.push(
    `<div class="lwc-badges">${view.badges
      .map(
        (b) =>
          `<span class="lwc-badge ${text(b.className)}" data-testid="badge-${text(b.key)}">${text(b.label)}</span>`,
      )
      .join('')}</div>`,
  );
  if (view.segmentDescription !== null)
    parts.push(
      `<p class="weak small" data-testid="segment-description">${text(view.segmentDescription)}</p>`,
    );
  if (view.scored)
    parts.push(
      `<div class="lwc-grid">${view.stats
        .map(
          (s) =>
            `<div class="lwc-stat" data-testid="stat-${text(s.key)}"><div class="label">${text(s.label)}</div><div class="value">${text(s.value)}</div></div>`,
        )
        .join('')}</div>`,
    );
  if (view.hasDrivers)
    parts.push(
      `<div class="bold">Why this risk</div><ul data-testid="drivers">${view.drivers.map((d) => `<li>${text(d.text)}</li>`).join('')}</ul>`,
    );
  if (view.nextOrderText !== null) parts.push(`<p data-testid="next-order">${text(view.nextOrderText)}</p>`);
  if (view.hasRecommendations)
    parts.push(
      `<div class="bold">Recommended products</div><ul>${view.recommendations
        .map((r) => `<li><div>${text(r.name)}</div><div class="weak small">${text(r.reason)}</div></li>`)
        .join('')}</ul>`,
    );
  if (view.hasActions)
    parts.push(
      `<div class="bold">Next best actions</div>${view.actions
        .map(
          (a) =>
            `<div class="lwc-action" data-testid="lwc-action" data-id="${text(a.id)}"><div><strong>${text(a.title)}</strong></div><div class="weak small">${text(a.reason)}</div>${
              a.offerText === null ? '' : `<p>${text(a.offerText)}</p>`
            }${a.outcomeLabel === null ? '' : `<span class="lwc-badge">${text(a.outcomeLabel)}</span>`}${
              a.canAnswer
                ? '<button class="lwc-button brand" disabled>Accept</button><button class="lwc-button" disabled>Dismiss</button>'
                : ''
            }${a.canComplete ? '<button class="lwc-button" disabled>Mark done</button>' : ''}</div>`,
        )
        .join('')}`,
    );
  if (view.hasPlaybook)
    parts.push(
      `<div class="bold" data-testid="playbook-title">${text(view.playbookTitle)}</div>${view.playbookSections
        .map(
          (s) =>
            `<details${view.openSections.includes(s.key) ? ' open' : ''}><summary>${text(s.heading)}</summary><p>${text(s.text)}</p></details>`,
        )
        .join('')}`,
    );
  parts.push(`<p class="weak small" data-testid="model-line">${text(view.modelLine)}</p>`);
  return parts.join('\n');
}

function cardBody(load: LightningCardLoad): string {
  switch (load.state) {
    case 'loading':
      return '<p class="weak">Loading customer value…</p>';
    case 'error':
      return `<div class="lwc-error" role="alert" data-testid="lwc-error">Customer value could not be loaded. ${text(load.message)}</div><button class="lwc-button" disabled>Try again</button>`;
    case 'empty':
      return `<div data-testid="lwc-empty"><strong>No customer value for this contact yet</strong></div><p class="weak">${text(load.message)}</p>`;
    case 'loaded':
      return loadedBody(load.view);
  }
}

export function renderLightningCardHtml(
  load: LightningCardLoad,
  context: { tenant: string; contactId: string; name: string | null; back?: string },
): string {
  const who = context.name ?? `Contact ${context.contactId}`;
  const body = `${context.back ? `<p><a href="${escapeHtml(context.back)}">← all preview contacts</a></p>` : ''}
<div class="record"><div class="kind">Contact</div><h1 data-testid="name">${text(who)}</h1><p class="muted">${text(context.contactId)} · ${text(context.tenant)} · the Lightning card (cards/salesforce, clvContactCard) on this record page, showing the Salesforce card API's answer</p></div>
<article class="lwc-card" data-testid="lightning-card"><header><span class="icon"></span><h2>Customer value</h2></header>
<div class="lwc-body">${cardBody(load)}</div></article>
<p class="muted">Locale en-US, time zone UTC. The buttons do nothing here: on the record page they go through ClvCardController to the actions endpoint.</p>`;
  return page(`${who} — Salesforce card preview`, body, LIGHTNING_STYLE);
}
