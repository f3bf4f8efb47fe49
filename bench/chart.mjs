// bench/chart.svg, drawn by hand (no chart library): SRP maths per sign-in on
// a log scale (the clients differ by orders of magnitude) and the gzip size
// of each client's sign-in path on a linear scale with the 25 kB target.

const WIDTH = 860;
const LABEL_W = 270; // left column for row labels
const PLOT_W = WIDTH - LABEL_W - 190; // room on the right for value labels
const BAR_H = 14;
const COLORS = { ours: '#2563eb', baseline: '#6b7280', acij: '#d97706', amplify: '#7c3aed', wasm: '#93c5fd' };

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x, y, content, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${escape(content)}</text>`;
const rect = (x, y, w, h, fill, attrs = '') =>
  `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 1).toFixed(1)}" height="${h}" fill="${fill}" ${attrs}/>`;

/**
 * Panel 1. `rows` = [{ label, client, chromium, node }] in ms. Two bars per
 * row: Chromium solid, Node lighter. Returns { svg, height }.
 */
function mathsPanel(rows, top) {
  const values = rows.flatMap((r) => [r.chromium, r.node]);
  // At least a factor 2 below the fastest, so its bar stays visible.
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values) / 2));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (ms) => LABEL_W + (Math.log10(ms / lo) / Math.log10(hi / lo)) * PLOT_W;
  const parts = [text(16, top + 18, 'SRP maths per sign-in (median ms, log scale; lower is better)', 'class="title"')];
  const plotTop = top + 34;
  const rowH = 2 * BAR_H + 12;
  const plotBottom = plotTop + rows.length * rowH;
  for (let tick = lo; tick <= hi; tick *= 10) {
    parts.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${plotTop - 4}" y2="${plotBottom}" class="grid"/>`);
    parts.push(text(x(tick), plotBottom + 14, tick >= 1 ? `${tick} ms` : `${tick.toPrecision(1)} ms`, 'class="tick"'));
  }
  rows.forEach((row, i) => {
    const y = plotTop + i * rowH;
    parts.push(text(LABEL_W - 8, y + BAR_H + 4, row.label, 'class="label"'));
    [['chromium', 1], ['node', 0.45]].forEach(([env, opacity], j) => {
      const barY = y + j * BAR_H;
      const ms = row[env];
      parts.push(rect(LABEL_W, barY, x(ms) - LABEL_W, BAR_H - 2, COLORS[row.client], `opacity="${opacity}"`));
      parts.push(text(x(ms) + 4, barY + BAR_H - 3, `${formatMs(ms)} ms (${env === 'chromium' ? 'Chromium' : 'Node'})`, 'class="value"'));
    });
  });
  return { svg: parts.join('\n'), height: plotBottom + 24 - top };
}

/** Panel 2. `sizes` = the rows of sizes.mjs; ours is split into glue and wasm. */
function sizePanel(sizes, targetKb, top) {
  const kb = (bytes) => bytes / 1000;
  const max = Math.max(targetKb, ...sizes.map((s) => kb(s.total.gzip))) * 1.05;
  const x = (value) => LABEL_W + (value / max) * PLOT_W;
  const parts = [text(16, top + 18, 'Sign-in path size, esbuild --minify then gzip -9 (kB; lower is better)', 'class="title"')];
  const plotTop = top + 34;
  const rowH = BAR_H + 14;
  sizes.forEach((size, i) => {
    const y = plotTop + i * rowH;
    parts.push(text(LABEL_W - 8, y + BAR_H - 3, size.label, 'class="label"'));
    const js = kb(size.js.gzip);
    parts.push(rect(LABEL_W, y, x(js) - LABEL_W, BAR_H, COLORS[size.name]));
    if (size.wasm) parts.push(rect(x(js), y, x(js + kb(size.wasm.gzip)) - x(js), BAR_H, COLORS.wasm));
    const detail = size.wasm ? ` (JS ${js.toFixed(1)} + wasm ${kb(size.wasm.gzip).toFixed(1)})` : '';
    parts.push(text(x(kb(size.total.gzip)) + 4, y + BAR_H - 3, `${kb(size.total.gzip).toFixed(1)} kB${detail}`, 'class="value"'));
  });
  const plotBottom = plotTop + sizes.length * rowH;
  parts.push(`<line x1="${x(targetKb)}" x2="${x(targetKb)}" y1="${plotTop - 6}" y2="${plotBottom}" class="target"/>`);
  parts.push(text(x(targetKb), plotBottom + 14, `target ${targetKb} kB`, 'class="tick"'));
  return { svg: parts.join('\n'), height: plotBottom + 24 - top };
}

export function formatMs(ms) {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

/** The whole chart as an SVG document string. */
export function chartSvg({ mathsRows, sizes, targetKb, caption }) {
  const maths = mathsPanel(mathsRows, 0);
  const size = sizePanel(sizes, targetKb, 0);
  const height = maths.height + 10 + size.height + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="cognito-wasm benchmark">
<style>
  text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 12px; fill: #111827; }
  .title { font-size: 14px; font-weight: 600; }
  .label { text-anchor: end; }
  .value { font-size: 11px; fill: #374151; }
  .tick { font-size: 10px; fill: #6b7280; text-anchor: middle; }
  .caption { font-size: 10px; fill: #6b7280; }
  .grid { stroke: #e5e7eb; stroke-width: 1; }
  .target { stroke: #dc2626; stroke-width: 1.5; stroke-dasharray: 4 3; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${maths.svg}
<g transform="translate(0 ${maths.height + 10})">${size.svg}</g>
${text(16, height - 8, caption, 'class="caption"')}
</svg>
`;
}
