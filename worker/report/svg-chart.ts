/**
 * Minimal self-contained SVG charts for the model report, so the HTML page needs no script or network.
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
    bars += `<text x="${(PAD.left + (i + 0.5) * groupW).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(c)}</text>`;
  });
  return frame(title, 'calibration-period repeat purchases', yLabel, yMax, NaN, NaN, bars, series);
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
  const legend = series
    .map(
      (s, k) =>
        `<span style="display:inline-block;margin-right:12px"><span style="display:inline-block;width:12px;height:3px;background:${COLORS[k % COLORS.length]};vertical-align:middle"></span> ${escapeXml(s.name)}</span>`,
    )
    .join('');
  return `<figure><figcaption>${escapeXml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}">${ticks}${xTicks}${body}<text x="${(PAD.left + WIDTH - PAD.right) / 2}" y="${HEIGHT - 6}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text><text x="12" y="${HEIGHT / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 12 ${HEIGHT / 2})">${escapeXml(yLabel)}</text></svg><div class="legend">${legend}</div></figure>`;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function formatTick(v: number): string {
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
