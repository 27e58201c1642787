/**
 * One segment's email snippet as a standalone HTML preview (the export and the dashboard's preview): the
 * subject escaped here, the sections already escaped HTML fragments (playbooks/email).
 */
import type { RenderedEmail } from '../../playbooks/email';
import { formatPercent } from '../../playbooks/format';
import { escapeHtml } from '../../playbooks/templates';

const SECTION_TITLES = { opening: 'Opening', offer: 'Offer', products: 'Products' } as const;

export function renderEmailFragment(email: RenderedEmail): string {
  const sections = email.sections
    .filter((s) => s.html !== '')
    .map((s) => `<section data-section="${s.key}"><h3>${SECTION_TITLES[s.key]}</h3>${s.html}</section>`)
    .join('');
  return (
    `<article class="email" data-segment="${escapeHtml(`${email.kind}:${email.key}`)}">` +
    `<h2>${escapeHtml(email.segmentName)}</h2>` +
    `<p class="subject"><strong>Subject:</strong> ${escapeHtml(email.subject)}</p>${sections}` +
    offerNote(email) +
    `<p class="template">Template: ${escapeHtml(email.template)}</p></article>`
  );
}

/** Who the Offer section's discount is for: sent to the rest, it would reach a program's control arm. */
function offerNote(email: RenderedEmail): string {
  if (email.offer === null) return '';
  const { discount, customers } = email.offer;
  return (
    `<p class="offer-note">The ${escapeHtml(formatPercent(discount))} offer is for the ${customers} ` +
    `${customers === 1 ? 'customer' : 'customers'} of this segment in a retention program's treatment arm ` +
    `(the program's treatment list) only: leave it out of the email to the rest.</p>`
  );
}

export function renderSegmentEmailPreview(email: RenderedEmail): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(email.segmentName)} email</title></head>` +
    `<body>${renderEmailFragment(email)}</body></html>\n`
  );
}
