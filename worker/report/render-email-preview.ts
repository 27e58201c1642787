/**
 * One segment's email snippet as a standalone HTML preview (the export and the dashboard's preview): the
 * subject escaped here, the sections already escaped HTML fragments (playbooks/email).
 */
import type { RenderedEmail } from '../../playbooks/email';
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
    `<p class="template">Template: ${escapeHtml(email.template)}</p></article>`
  );
}

export function renderSegmentEmailPreview(email: RenderedEmail): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(email.segmentName)} email</title></head>` +
    `<body>${renderEmailFragment(email)}</body></html>\n`
  );
}
