/**
 * Renders the model report as Markdown (for terminals and repos) and as a self-contained HTML page (no script,
 * no network; charts are inline SVG). Both open with the manager's summary, then data quality, then the
 * analyst's sections; the context adds what report.json does not hold (the run, quality report, P(alive)).
 */
import type { ModelReport } from './model-report';
import { analysisBlocks } from './render-analysis';
import { programBlocks } from './render-programs';
import { qualityBlocks } from './render-quality';
import { salesBlocks } from './render-sales';
import { reportTitle, summaryBlocks } from './render-summary';
import { blocksToHtml, blocksToMarkdown, htmlBlock, type Block } from './report-blocks';
import type { ReportContext } from './report-context';
import { escapeXml } from './svg-chart';

export type { ReportContext } from './report-context';

function reportBlocks(r: ModelReport, ctx: ReportContext): Block[] {
  return [
    ...summaryBlocks(r, ctx),
    htmlBlock('<section id="data-quality">'),
    ...qualityBlocks(ctx.quality, r.summary.currency),
    htmlBlock('</section><section id="analysis">'),
    ...analysisBlocks(r, ctx),
    htmlBlock('</section>'),
    ...salesBlocks(ctx.sales),
    ...programBlocks(ctx.programs),
  ];
}

export function renderMarkdown(r: ModelReport, ctx: ReportContext = {}): string {
  return blocksToMarkdown(reportBlocks(r, ctx));
}

const STYLE = `*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1120px;margin:0 auto;padding:1rem 1.5rem 3rem;color:#111;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.55rem;margin:.25rem 0}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.2rem}
#summary h2{margin-top:.5rem}
.meta{color:#374151;margin:.2rem 0 .5rem}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(190px,100%),1fr));gap:.6rem;margin:.5rem 0}
.kpi{border:1px solid #d1d5db;border-radius:8px;padding:.5rem .75rem;background:#f9fafb}
.kpi .label{font-size:.85rem;color:#374151}.kpi .value{font-size:1.45rem;font-weight:650}
.kpi .note{font-size:.8rem;color:#4b5563}
.notice{border-left:4px solid #b45309;background:#fffbeb;padding:.1rem .9rem;margin:.75rem 0}
.notice ul{margin:.3rem 0;padding-left:1.2rem}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:1.5rem}
svg{max-width:100%;height:auto;display:block}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0 .25rem}figcaption{font-weight:600;margin-bottom:.4rem}
details{margin:0 0 1rem}details summary{cursor:pointer;color:#1d4ed8;font-size:.9rem}
.legend{font-size:13px;margin-top:4px}`;

export function renderHtml(r: ModelReport, ctx: ReportContext = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(reportTitle(r))}</title>
<style>${STYLE}</style></head>
<body>
${blocksToHtml(reportBlocks(r, ctx))}
</body></html>
`;
}
