/**
 * Minimal self-contained SVG charts for the model report, so the HTML page needs no script or network. Every
 * chart has a <title> (read by screen readers), a visible caption and visible axis labels (class "axis-label").
 */
export type Series = { name: string; values: number[]; dashed?: boolean };

const COLORS = ['#1f2937', '#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed'];
const WIDTH = 640;
const HEIGHT = 300;
const PAD = { left: 76, right: 16, top: 16, bottom: 40 };

export type Marker = { x: number; label: string };

export function lineChart(
  title: string,
  xValues: number[],
  series: Series[],
  xLabel: string,
  yLabel: string,
  marker?: Marker,
): string {
  const xMax = Math.max(...xValues, 1);
  const xMin = Math.min(...xValues, 0);
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const sx = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin || 1)) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => HEIGHT - PAD.bottom - (y / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  const paths = series
    .map((s, k) => {
      const d = s.values
        .map((v, i) =>
          Number.isFinite(v) ? `${i === 0 ? 'M' : 'L'}${sx(xValues[i]).toFixed(1)},${sy(v).toFixed(1)}` : '',
        )
        .join('');
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      return `<path d="${d}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"${dash}/>`;
    })
    .join('');
  const mark = marker
    ? `<line x1="${sx(marker.x).toFixed(1)}" x2="${sx(marker.x).toFixed(1)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="#6b7280" stroke-dasharray="2 3"/><text x="${(sx(marker.x) + 4).toFixed(1)}" y="${PAD.top + 12}" font-size="11" fill="#374151">${escapeXml(marker.label)}</text>`
    : '';
  return frame(title, xLabel, yLabel, yMax, xMin, xMax, mark + paths, series);
}

export function groupedBarChart(
  title: string,
  categories: string[],
  series: Series[],
  yLabel: string,
  xLabel = 'calibration-period repeat purchases',
): string {
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const sy = (y: number) => HEIGHT - PAD.bottom - (y / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  let bars = '';
  categories.forEach((c, i) => {
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const x = PAD.left + i * groupW + groupW * 0.1 + k * barW;
      bars += `<rect x="${x.toFixed(1)}" y="${sy(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(HEIGHT - PAD.bottom - sy(v)).toFixed(1)}" fill="${COLORS[k % COLORS.length]}"><title>${escapeXml(s.name)} ${escapeXml(c)}: ${v.toFixed(3)}</title></rect>`;
    });
    bars += `<text x="${(PAD.left + (i + 0.5) * groupW).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="${categoryFontSize(categories, groupW)}">${escapeXml(c)}</text>`;
  });
  return frame(title, xLabel, yLabel, yMax, NaN, NaN, bars, series);
}

function frame(
  title: string,
  xLabel: string,
  yLabel: string,
  yMax: number,
  xMin: number,
  xMax: number,
  body: string,
  series: Series[],
): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = HEIGHT - PAD.bottom - f * (HEIGHT - PAD.top - PAD.bottom);
      return `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${formatTick(f * yMax)}</text>`;
    })
    .join('');
  const xTicks = Number.isFinite(xMin)
    ? [0, 0.5, 1]
        .map((f) => {
          const x = PAD.left + f * (WIDTH - PAD.left - PAD.right);
          return `<text x="${x}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="11">${formatTick(xMin + f * (xMax - xMin))}</text>`;
        })
        .join('')
    : '';
  return `<figure><figcaption>${escapeXml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${ticks}${xTicks}${body}${axisLabels(xLabel, yLabel, HEIGHT)}</svg>${legendBlock(series, Number.isFinite(xMin) ? 'line' : 'bar')}</figure>`;
}

function axisLabels(xLabel: string, yLabel: string, height: number): string {
  return (
    `<text class="axis-label" x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${height - 6}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>` +
    `<text class="axis-label" x="12" y="${height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${height / 2})">${escapeXml(yLabel)}</text>`
  );
}

/** Legend under a chart with several series: a short line for line charts, a block for bars. */
function legendBlock(series: Series[], shape: 'line' | 'bar' = 'line', colorOffset = 0): string {
  if (series.length < 2) return '';
  const legend = series
    .map(
      (s, k) =>
        `<span style="display:inline-block;margin-right:12px"><span style="display:inline-block;width:12px;height:${shape === 'line' ? 3 : 8}px;background:${COLORS[(k + colorOffset) % COLORS.length]};vertical-align:middle"></span> ${escapeXml(s.name)}</span>`,
    )
    .join('');
  return `<div class="legend">${legend}</div>`;
}

/** Smaller category labels when they would not fit their slot (≈ 0.6 em per character). */
function categoryFontSize(categories: string[], slot: number): number {
  const longest = Math.max(1, ...categories.map((c) => c.length));
  return Math.max(9, Math.min(11, Math.floor(slot / (0.6 * longest))));
}

/**
 * Horizontal bars, one row per category (long names such as segment names stay readable), one bar per series;
 * `valueText` writes each bar's value at its end.
 */
export function horizontalBarChart(
  title: string,
  categories: string[],
  series: Series[],
  valueLabel: string,
  categoryLabel: string,
  valueText: (v: number, series: number) => string = formatTick,
  width = WIDTH,
): string {
  const barH = 14;
  const rowH = series.length * barH + 10;
  const labelW = Math.min(200, Math.max(50, 7 * Math.max(1, ...categories.map((c) => c.length))));
  const left = 24 + labelW;
  const right = 56;
  const top = 8;
  const bottom = 40;
  const height = top + rowH * Math.max(1, categories.length) + bottom;
  const xMax = tightMax(Math.max(0, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const sx = (v: number) => left + (v / xMax) * (width - left - right);
  let body = '';
  for (const f of [0, 0.5, 1]) {
    const x = sx(f * xMax);
    body += `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top}" y2="${height - bottom}" stroke="#e5e7eb"/><text x="${x.toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" font-size="11">${escapeXml(valueText(f * xMax, -1))}</text>`;
  }
  categories.forEach((c, i) => {
    const y0 = top + i * rowH + 5;
    const shown = c.length > 30 ? `${c.slice(0, 29)}…` : c;
    body += `<text x="${left - 6}" y="${(y0 + (series.length * barH) / 2 + 4).toFixed(1)}" text-anchor="end" font-size="12">${escapeXml(shown)}</text>`;
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const y = y0 + k * barH;
      const w = Math.max(0, sx(v) - left);
      body += `<rect x="${left}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${COLORS[(k + 1) % COLORS.length]}"><title>${escapeXml(s.name)}, ${escapeXml(c)}: ${escapeXml(valueText(v, k))}</title></rect>`;
      body += `<text x="${(left + w + 4).toFixed(1)}" y="${(y + barH - 4).toFixed(1)}" font-size="11">${escapeXml(valueText(v, k))}</text>`;
    });
  });
  const xAxis = `<text class="axis-label" x="${((left + width - right) / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="12">${escapeXml(valueLabel)}</text>`;
  const yAxis = `<text class="axis-label" x="12" y="${height / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${height / 2})">${escapeXml(categoryLabel)}</text>`;
  return `<figure><figcaption>${escapeXml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${body}${xAxis}${yAxis}</svg>${legendBlock(series, 'bar', 1)}</figure>`;
}

/** A round axis end close above v, with a round middle tick (1, 1.2, 1.6, 2, 3, 4, 5, 6, 8 × 10^k). */
function tightMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.6, 2, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function formatTick(v: number): string {
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
