/**
 * Playbook files: one Handlebars file per segment, in a small Markdown-like layout a person can edit:
 *
 *   {{!-- optional comment --}}
 *   # Title (a template too)
 *   ## Goal
 *   One paragraph or more; a blank line starts a new paragraph.
 *   ## Talking points
 *   - a line starting with "- " is a list item
 *   ## Offer guidance
 *   ## Avoid
 *   ## Cadence
 *
 * Every section is required, once, under exactly these headings (any order; output is in this order). Each
 * section is compiled on its own, so a problem names the file, line and section. A section that renders
 * empty (all of it inside an {{#if}} that is false) is left out of the output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaybookContext } from './context';
import { compileTemplate, type CompiledTemplate } from './templates';

export const PLAYBOOK_SECTIONS = [
  { key: 'goal', heading: 'Goal' },
  { key: 'talkingPoints', heading: 'Talking points' },
  { key: 'offerGuidance', heading: 'Offer guidance' },
  { key: 'avoid', heading: 'Avoid' },
  { key: 'cadence', heading: 'Cadence' },
] as const;

export type PlaybookSectionKey = (typeof PLAYBOOK_SECTIONS)[number]['key'];

export type RenderedSection = {
  key: PlaybookSectionKey;
  heading: string;
  /** Plain text: paragraphs separated by blank lines, list items as "- " lines. */
  text: string;
  /** An HTML fragment (<p>, <ul><li>); every value in it is escaped. */
  html: string;
};

export type CompiledPlaybook = {
  /** e.g. "behavioural:lapsing_big_spenders", "rfm:cant_lose_them", "fallback". */
  key: string;
  file: string;
  title: CompiledTemplate;
  sections: { key: PlaybookSectionKey; heading: string; body: CompiledTemplate }[];
};

/** Reads and compiles one playbook file; problems (prefixed with the file) go to `problems`. */
export function loadPlaybookFile(
  key: string,
  dir: string,
  relativePath: string,
  problems: string[],
): CompiledPlaybook | undefined {
  let source: string;
  try {
    source = readFileSync(join(dir, relativePath), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      code === 'ENOENT'
        ? `${relativePath}: missing; every segment needs a playbook (copy another one and adapt it)`
        : `${relativePath}: cannot be read (${(error as Error).message})`,
    );
    return undefined;
  }
  return parsePlaybook(key, source, relativePath, problems);
}

/** Files with the given extension directly in `dir` (empty when the folder is missing). */
export function filesIn(dir: string, extension: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(extension))
      .sort();
  } catch {
    return [];
  }
}

export function parsePlaybook(
  key: string,
  source: string,
  file: string,
  problems: string[],
): CompiledPlaybook | undefined {
  const before = problems.length;
  const lines = source
    .replace(/^\s*\{\{!--[\s\S]*?--\}\}/, (c) => '\n'.repeat(c.split('\n').length - 1))
    .split(/\r?\n/);
  let title: { text: string; line: number } | undefined;
  const bodies = new Map<PlaybookSectionKey, { lines: string[]; line: number }>();
  let current: { lines: string[]; line: number } | undefined;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const heading = /^##\s+(.*?)\s*$/.exec(raw);
    if (heading) {
      const section = PLAYBOOK_SECTIONS.find((s) => s.heading.toLowerCase() === heading[1].toLowerCase());
      if (!section) {
        problems.push(
          `${file} line ${line}: unknown section "${heading[1]}"; the sections are ` +
            PLAYBOOK_SECTIONS.map((s) => s.heading).join(', '),
        );
        current = { lines: [], line }; // the unknown section's text is dropped, not reported again
        return;
      }
      if (bodies.has(section.key))
        problems.push(`${file} line ${line}: section "${section.heading}" appears twice`);
      current = { lines: [], line };
      bodies.set(section.key, current);
      return;
    }
    const h1 = /^#\s+(.*?)\s*$/.exec(raw);
    if (h1 && !title && !current) {
      title = { text: h1[1], line };
      return;
    }
    if (current) current.lines.push(raw);
    else if (raw.trim())
      problems.push(`${file} line ${line}: text outside a section; start the file with "# Title"`);
  });
  if (!title) problems.push(`${file}: no title; the first line must be "# Title"`);
  for (const s of PLAYBOOK_SECTIONS) {
    const body = bodies.get(s.key);
    if (!body) problems.push(`${file}: section "## ${s.heading}" is missing`);
    else if (!body.lines.join('').trim())
      problems.push(`${file} line ${body.line}: section "${s.heading}" is empty`);
  }
  if (problems.length > before || !title) return undefined;
  const titleLine = title.line;
  const compiledTitle = compileTemplate(title.text, () => `${file} line ${titleLine} (title)`, problems);
  const sections = PLAYBOOK_SECTIONS.map((s) => {
    const body = bodies.get(s.key)!;
    // The body starts on the line after its heading.
    const compiled = compileTemplate(
      body.lines.join('\n'),
      (line) => `${file} line ${body.line + (line ?? 1)} (${s.heading})`,
      problems,
    );
    return { key: s.key, heading: s.heading, body: compiled! };
  });
  if (problems.length > before || !compiledTitle) return undefined;
  return { key, file, title: compiledTitle, sections };
}

export function renderSections(playbook: CompiledPlaybook, context: PlaybookContext): RenderedSection[] {
  const out: RenderedSection[] = [];
  for (const s of playbook.sections) {
    const text = tidy(s.body.text(context));
    if (!text) continue;
    out.push({ key: s.key, heading: s.heading, text, html: blocksToHtml(tidy(s.body.html(context))) });
  }
  return out;
}

/** Trailing spaces off, runs of blank lines to one, no blank lines at either end. */
export function tidy(rendered: string): string {
  return rendered
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Paragraphs and "- " lists to HTML. `escaped` is the HTML rendering, in which the template's own text and
 * every value are already escaped (templates.ts), so only our tags are added here.
 */
function blocksToHtml(escaped: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${paragraph.join(' ')}</p>`);
    if (items.length) out.push(`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);
    paragraph = [];
    items = [];
  };
  for (const raw of escaped.split('\n')) {
    const line = raw.trim();
    if (!line) flush();
    else if (line.startsWith('- ')) {
      if (paragraph.length) flush();
      items.push(line.slice(2).trim());
    } else {
      if (items.length) flush();
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}
