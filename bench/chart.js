// The SVG bar chart of a run: median req/s per variant, grouped, one shared scale, written by hand.
'use strict';

const COLOURS = {
  ceiling: '#9aa5b1',
  baseline: '#4c78a8',
  handwritten: '#f58518',
  ours: '#54a24b',
  peer: '#b279a2',
};
const LEGEND = [
  ['ours', 'express-envelope'],
  ['handwritten', 'hand-written equivalent'],
  ['baseline', 'group baseline'],
  ['peer', 'other package'],
  ['ceiling', 'node:http ceiling'],
];

const WIDTH = 1060;
const LABEL_WIDTH = 250;
const BAR_WIDTH = 440;
/** Values and ratios sit in a column of their own, right of every bar and baseline line. */
const VALUE_X = LABEL_WIDTH + BAR_WIDTH + 14;
const ROW = 22;
const BAR = 15;
const GROUP_GAP = 16;
const TITLE = 22;

function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function ratioText(row, group) {
  const parts = [];
  if (row.id !== group.baseline) parts.push(`${row.vsBaseline.toFixed(3)}× ${group.baselineShort}`);
  if (group.reference && row.id !== group.reference && row.vsReference !== undefined) {
    parts.push(`${row.vsReference.toFixed(3)}× hand-written`);
  }
  return parts.length ? ` · ${parts.join(' · ')}` : ' · baseline';
}

/**
 * `results` as bench/run.js builds it → the SVG text. The scale fits the Express variants; a
 * node:http ceiling far beyond them is drawn cut, with its value written out.
 */
function renderChart(results) {
  const medians = Object.values(results.variants).map((v) => v.rps.median);
  const express = Object.values(results.variants)
    .filter((v) => v.role !== 'ceiling')
    .map((v) => v.rps.median);
  const max = Math.min(Math.max(...medians), (express.length ? Math.max(...express) : Math.max(...medians)) * 1.6);
  const scale = BAR_WIDTH / max;
  const out = [];
  let y = 76;
  for (const group of results.groups) {
    out.push(`<text x="12" y="${y + 15}" class="group">${escapeXml(group.title)}</text>`);
    y += TITLE + 4;
    const top = y;
    for (const row of group.rows) {
      const variant = results.variants[row.id];
      const cut = variant.rps.median > max;
      const width = cut ? BAR_WIDTH : Math.max(1, variant.rps.median * scale);
      const bold = row.id === group.baseline ? ' base' : '';
      out.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 3}" class="label${bold}" text-anchor="end">${escapeXml(variant.short)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" rx="2" fill="${COLOURS[variant.role]}">` +
          `<title>${escapeXml(`${row.id}: ${fmt(variant.rps.median)} req/s (rounds ${variant.rps.min}–${variant.rps.max}), p99 ${variant.p99} ms`)}</title></rect>`,
        `<text x="${VALUE_X}" y="${y + BAR - 3}" class="value">${fmt(variant.rps.median)}${escapeXml(ratioText(row, group))}</text>`,
      );
      if (cut) {
        // Two white slants across the bar: it goes on beyond the scale.
        const bx = LABEL_WIDTH + BAR_WIDTH - 40;
        out.push(`<path d="M${bx} ${y + BAR + 1} l6 ${-BAR - 2} M${bx + 6} ${y + BAR + 1} l6 ${-BAR - 2}" class="cut"/>`);
      }
      y += ROW;
    }
    const baseX = LABEL_WIDTH + results.variants[group.baseline].rps.median * scale;
    out.push(`<line x1="${baseX.toFixed(1)}" y1="${top - 3}" x2="${baseX.toFixed(1)}" y2="${y - ROW + BAR + 3}" class="baseline"/>`);
    y += GROUP_GAP;
  }
  const legend = LEGEND.map(([role, text], i) => {
    const x = 12 + i * 190;
    return `<rect x="${x}" y="34" width="12" height="12" rx="2" fill="${COLOURS[role]}"/><text x="${x + 18}" y="44" class="legend">${escapeXml(text)}</text>`;
  });
  const { machine, settings } = results;
  const footer =
    `${machine.cpu} × ${machine.cores} cores, Node ${machine.node}, ${results.date.slice(0, 10)}; ` +
    `${settings.connections} connections, median of ${settings.rounds} interleaved rounds of ${settings.seconds} s; dashed line: group baseline`;
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="title">`,
    '<title id="title">express-envelope: median requests per second per variant</title>',
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,"DejaVu Sans",sans-serif;fill:#24292f}',
    '.h{font-size:16px;font-weight:600}.group{font-size:13px;font-weight:600}.label,.value,.legend{font-size:11.5px}',
    '.note{font-size:11px;fill:#57606a}.cut{stroke:#ffffff;stroke-width:3}.base{font-weight:600}.foot{font-size:10.5px;fill:#57606a}.baseline{stroke:#24292f;stroke-dasharray:3 3;stroke-width:1}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    '<text x="12" y="22" class="h">Requests per second (median), higher is better</text>',
    `<text x="12" y="64" class="note">${escapeXml("envelope('p') = requestId() + envelope('p') + errorHandler(); ratios divide by the group's baseline and, on success paths, by the hand-written equivalent")}</text>`,
    ...legend,
    ...out,
    `<text x="12" y="${height - 10}" class="foot">${escapeXml(footer)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { renderChart };
