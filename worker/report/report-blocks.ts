/**
 * The report as a list of blocks: each has its Markdown lines and, where the page shows more than Markdown can
 * (charts, summary tiles), its own HTML. report.md joins the Markdown; report.html the HTML, converting the
 * Markdown of blocks that have none.
 */
import { escapeXml } from './svg-chart';

export type Block = { md: string[]; html?: string };

export const mdBlock = (...lines: string[]): Block => ({ md: lines });

/** HTML on the page, `md` (default nothing) in report.md. */
export const htmlBlock = (html: string, md: string[] = []): Block => ({ md, html });

export function blocksToMarkdown(blocks: Block[]): string {
  return (
    blocks
      .flatMap((b) => b.md)
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

export function blocksToHtml(blocks: Block[]): string {
  return blocks.map((b) => b.html ?? markdownToHtml(b.md.join('\n'))).join('\n');
}

/** A Markdown table: header cells, then rows; `align` per column, default the first left and the others right. */
export function mdTable(head: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string[] {
  const a = head.map((_, k) => align?.[k] ?? (k === 0 ? 'l' : 'r'));
  return [
    `| ${head.join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
}

/** Just enough Markdown for the report's own output: headings, paragraphs, lists, tables, bold. */
export function markdownToHtml(md: string): string {
  const lines = md.split('\n');
  const html: string[] = [];
  let i = 0;
  const inline = (s: string) => escapeXml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      let align: string[] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        const cells = lines[i]
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim());
        if (/^\|[-:|]+\|$/.test(lines[i])) align = cells.map((c) => (c.endsWith(':') ? 'r' : 'l'));
        else rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      const cell = (tag: string, c: string, k: number) =>
        `<${tag}${align[k] === 'r' ? ' class="r"' : ''}>${inline(c)}</${tag}>`;
      html.push(
        `<div class="table-wrap"><table><thead><tr>${head.map((c, k) => cell('th', c, k)).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c, k) => cell('td', c, k)).join('')}</tr>`)
          .join('')}</tbody></table></div>`,
      );
      continue;
    }
    const h = /^(#{1,4}) (.*)$/.exec(line);
    if (h) html.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && lines[i].startsWith('- '))
        items.push(`<li>${inline(lines[i++].slice(2))}</li>`);
      html.push(`<ul>${items.join('')}</ul>`);
      continue;
    } else if (line.trim()) html.push(`<p>${inline(line)}</p>`);
    i++;
  }
  return html.join('\n');
}
