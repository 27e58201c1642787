/**
 * Segment email snippets: Handlebars files in playbooks/templates/email, one per RFM segment that needs its
 * own words (named by the clv_rfm_segment option value, e.g. at_risk.hbs) and default.hbs for the rest and
 * for behavioural segments. Each file has four sections, each required once:
 *
 *   ## Subject      one line, plain text
 *   ## Opening      paragraphs
 *   ## Offer        paragraphs
 *   ## Products     paragraphs (usually inside {{#if products}})
 *
 * Values come from SegmentEmailContext only; compiled strict (a misspelt value fails at load, naming file and
 * section) in a private environment with our helpers only. The HTML rendering escapes every value ({{…}});
 * the text rendering is for the subject line and plain-text mail. HubSpot personalisation tokens are written
 * escaped in the files (\{{ contact.firstname }}), so they reach the output as tokens for HubSpot to fill.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PlaybookConfigError } from '../errors';
import { formatMoney, formatPercent } from '../format';
import { optionValue, RFM_SEGMENTS } from '../../domain/rfm-segments';
import type { SegmentEmailContext } from './segment-email-context';

export const EMAIL_SECTIONS = [
  { key: 'subject', heading: 'Subject' },
  { key: 'opening', heading: 'Opening' },
  { key: 'offer', heading: 'Offer' },
  { key: 'products', heading: 'Products' },
] as const;
export type EmailSectionKey = (typeof EMAIL_SECTIONS)[number]['key'];

export type RenderedEmail = {
  kind: SegmentEmailContext['kind'];
  key: string;
  segmentName: string;
  /** The template file used (e.g. "at_risk.hbs", "default.hbs"). */
  template: string;
  /** The context's offer: the Offer section offers this discount to these treated customers only. */
  offer: SegmentEmailContext['offer'];
  subject: string;
  /** Per section: plain text, and an HTML fragment with every value escaped. */
  sections: { key: Exclude<EmailSectionKey, 'subject'>; text: string; html: string }[];
};

type Section = { text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate };
type CompiledEmail = { file: string; sections: Record<EmailSectionKey, Section> };

const env = Handlebars.create();
env.registerHelper('money', (amount: unknown, options: { data?: { root?: { currency?: string } } }) =>
  typeof amount === 'number' ? formatMoney(amount, options?.data?.root?.currency ?? 'USD') : '–',
);
env.registerHelper('percent', (v: unknown) => (typeof v === 'number' ? formatPercent(v) : '–'));
env.registerHelper('list', (items: unknown) => {
  if (!Array.isArray(items) || items.length === 0) return '–';
  const t = items.map(String);
  return t.length === 1 ? t[0] : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
});
const KNOWN_HELPERS = { money: true, percent: true, list: true, if: true, unless: true, each: true };

function splitSections(file: string, source: string): Record<EmailSectionKey, string> {
  const out: Partial<Record<EmailSectionKey, string>> = {};
  let current: EmailSectionKey | undefined;
  for (const line of source.split('\n')) {
    const heading = /^## (.+)$/.exec(line.trim());
    if (heading) {
      const section = EMAIL_SECTIONS.find((s) => s.heading === heading[1].trim());
      if (section === undefined)
        throw new PlaybookConfigError([
          `${file}: unknown section "## ${heading[1]}"; the sections are ${EMAIL_SECTIONS.map((s) => s.heading).join(', ')}`,
        ]);
      if (out[section.key] !== undefined)
        throw new PlaybookConfigError([`${file}: section ${section.heading} twice`]);
      current = section.key;
      out[current] = '';
    } else if (current !== undefined) out[current] += `${line}\n`;
  }
  for (const s of EMAIL_SECTIONS)
    if (out[s.key] === undefined)
      throw new PlaybookConfigError([`${file}: section "## ${s.heading}" is missing`]);
  return out as Record<EmailSectionKey, string>;
}

const TRIAL_CONTEXT: SegmentEmailContext = {
  kind: 'rfm',
  key: 'trial',
  segmentName: 'Trial',
  customers: 1,
  averageClv: 1,
  highRiskShare: 0,
  products: ['A'],
  currency: 'USD',
  offer: { discount: 0.1, customers: 1 },
};

function compileFile(dir: string, name: string): CompiledEmail {
  const file = join(dir, name);
  const parts = splitSections(name, readFileSync(file, 'utf8'));
  const sections = {} as Record<EmailSectionKey, Section>;
  for (const s of EMAIL_SECTIONS) {
    const options = { strict: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true };
    const compiled = {
      html: env.compile(parts[s.key], options),
      text: env.compile(parts[s.key], { ...options, noEscape: true }),
    };
    try {
      compiled.html(TRIAL_CONTEXT);
      compiled.html({ ...TRIAL_CONTEXT, products: [], offer: null });
    } catch (error) {
      throw new PlaybookConfigError([
        `${name}, section ${s.heading}: ${error instanceof Error ? error.message : String(error)}`,
      ]);
    }
    sections[s.key] = compiled;
  }
  return { file: name, sections };
}

const paragraphsHtml = (html: string) =>
  html
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${p.trim().replace(/\n/g, ' ')}</p>`)
    .join('');

export type EmailTemplates = { render(context: SegmentEmailContext): RenderedEmail; files: string[] };

export function loadEmailTemplates(playbooksDir: string): EmailTemplates {
  const dir = join(playbooksDir, 'templates', 'email');
  if (!existsSync(join(dir, 'default.hbs')))
    throw new PlaybookConfigError([`${dir}/default.hbs is missing: the email snippets need a default`]);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.hbs'))
    .sort();
  // A file no RFM segment is named like is most likely misspelt: say so rather than never use it.
  const names = new Set(['default', ...RFM_SEGMENTS.map(optionValue)]);
  const strays = files.filter((f) => !names.has(f.replace(/\.hbs$/, '')));
  if (strays.length > 0)
    throw new PlaybookConfigError(
      strays.map((f) => `email/${f}: no RFM segment has this name (e.g. at_risk.hbs, cant_lose_them.hbs)`),
    );
  const compiled = new Map(files.map((f) => [f.replace(/\.hbs$/, ''), compileFile(dir, f)]));
  const fallback = compiled.get('default') as CompiledEmail;
  return {
    files,
    render(context) {
      const chosen = (context.kind === 'rfm' ? compiled.get(context.key) : undefined) ?? fallback;
      const s = chosen.sections;
      return {
        kind: context.kind,
        key: context.key,
        segmentName: context.segmentName,
        template: chosen.file,
        offer: context.offer,
        subject: s.subject.text(context).trim().replace(/\s+/g, ' '),
        sections: (['opening', 'offer', 'products'] as const).map((key) => ({
          key,
          text: s[key].text(context).trim(),
          html: paragraphsHtml(s[key].html(context)),
        })),
      };
    },
  };
}
