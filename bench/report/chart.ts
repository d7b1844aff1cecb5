/**
 * The SVG chart of docs/benchmarks.md, drawn from the summary of a results file: one column
 * per endpoint, one row per metric (app CPU per request, requests per second), one bar per
 * target with its median and its ratio to the floor. On `GET /whoami` dashed lines mark the
 * goals for our Express adapter (1.12× the floor's CPU, 0.85× its req/s).
 */
import { BASELINE } from '../config.js';
import type { EndpointSummary, TargetSummary } from './summary.js';

const COLORS: Record<string, string> = {
  floor: '#7f7f7f', 'express-session': '#e8853b', 'koa-session': '#f2b36f', 'sessionware-express': '#2c6fbb',
  'sessionware-koa': '#1f9e89', 'sessionware-express-memory': '#8db3e2', 'sessionware-koa-memory': '#8fd3c4',
};

const ENDPOINT_TITLES: Record<string, string> = { whoami: 'GET /whoami (authenticated read)', counter: 'POST /counter (session write)', login: 'POST /login (new session)' };

/** A row of the chart; `goal` is the goal line on /whoami, as a multiple of the floor. */
const METRICS: Array<{ title: string; value: (target: TargetSummary) => number; ratio: (target: TargetSummary) => number; format: (value: number) => string; goal: number; goalLabel: string }> = [
  {
    title: 'App CPU per request (µs, median; lower is better)', value: (target) => target.appCpuUsPerReq, ratio: (target) => target.appCpuRatio.median,
    format: (value) => `${value.toFixed(0)} µs`, goal: 1.12, goalLabel: 'goal ≤ 1.12× floor',
  },
  {
    title: 'Requests per second (median; higher is better)', value: (target) => target.reqPerSec, ratio: (target) => target.reqPerSecRatio.median,
    format: (value) => `${Math.round(value).toLocaleString('en-US')}/s`, goal: 0.85, goalLabel: 'goal ≥ 0.85× floor',
  },
];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the chart. `caption` goes under the title (machine, date, settings). */
export function renderChart(summary: readonly EndpointSummary[], caption: string): string {
  const [labelWidth, cellWidth, gap, barHeight, barGap, top] = [230, 260, 24, 16, 6, 84];
  const targets = summary[0]?.targets ?? [];
  const cellHeight = 26 + targets.length * (barHeight + barGap) + 18;
  const width = labelWidth + summary.length * (cellWidth + gap) + 10;
  const height = top + METRICS.length * (cellHeight + 34) + 24;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="10" y="22" font-size="15" font-weight="bold">sessionware benchmarks: medians over interleaved rounds, ratios to the floor of the same round</text>`);
  out.push(`<text x="10" y="40" fill="#555">${escape(caption)}</text>`);
  summary.forEach((endpoint, column) => {
    const left = labelWidth + column * (cellWidth + gap);
    out.push(`<text x="${left}" y="70" font-size="12" font-weight="bold" fill="#333">${escape(ENDPOINT_TITLES[endpoint.endpoint] ?? endpoint.endpoint)}</text>`);
  });

  METRICS.forEach((metric, row) => {
    const rowTop = top + row * (cellHeight + 34);
    out.push(`<text x="10" y="${rowTop + 12}" font-size="13" font-weight="bold">${escape(metric.title)}</text>`);
    const barY = (index: number): number => rowTop + 26 + index * (barHeight + barGap);
    targets.forEach((entry, index) => out.push(`<text x="${labelWidth - 8}" y="${barY(index) + barHeight - 4}" text-anchor="end">${escape(entry.target.label)}</text>`));
    summary.forEach((endpoint, column) => {
      const left = labelWidth + column * (cellWidth + gap);
      const values = endpoint.targets.map((entry) => metric.value(entry));
      const floor = endpoint.targets.find((entry) => entry.target.id === BASELINE);
      const max = Math.max(...values, floor === undefined ? 0 : metric.value(floor) * metric.goal) * 1.02;
      const scale = (value: number): number => (max > 0 ? (value / max) * (cellWidth - 105) : 0);
      const barsTop = rowTop + 22;
      const barsBottom = barsTop + endpoint.targets.length * (barHeight + barGap);
      const labels: string[] = [];
      out.push(`<line x1="${left}" y1="${barsTop}" x2="${left}" y2="${barsBottom}" stroke="#999"/>`);
      // Bars first, then the floor and goal lines, then the labels, so labels stay readable.
      endpoint.targets.forEach((entry, index) => {
        const [y, value] = [barY(index), metric.value(entry)];
        const w = scale(value);
        out.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[entry.target.id] ?? '#444'}"/>`);
        const label = entry.target.id === BASELINE ? metric.format(value) : `${metric.format(value)} · ${metric.ratio(entry).toFixed(2)}×`;
        labels.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + barHeight - 4}" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">${escape(label)}</text>`);
      });
      if (floor !== undefined) {
        const fx = left + scale(metric.value(floor));
        out.push(`<line x1="${fx.toFixed(1)}" y1="${barsTop}" x2="${fx.toFixed(1)}" y2="${barsBottom}" stroke="#7f7f7f" stroke-width="1"/>`);
        if (endpoint.endpoint === 'whoami') {
          const gx = left + scale(metric.value(floor) * metric.goal);
          out.push(`<line x1="${gx.toFixed(1)}" y1="${barsTop}" x2="${gx.toFixed(1)}" y2="${barsBottom}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>`);
          out.push(`<text x="${gx.toFixed(1)}" y="${barsBottom + 12}" fill="#c0392b" text-anchor="middle">${escape(metric.goalLabel)}</text>`);
        }
      }
      out.push(...labels);
    });
  });
  const footer = height - 12;
  out.push(`<line x1="10" y1="${footer - 4}" x2="30" y2="${footer - 4}" stroke="#7f7f7f"/><text x="36" y="${footer}" fill="#555">the floor of the same column</text>`);
  out.push(`<line x1="210" y1="${footer - 4}" x2="230" y2="${footer - 4}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/><text x="236" y="${footer}" fill="#555">issue 6 goal for sessionware Express + Redis (GET /whoami)</text>`);
  out.push(`<text x="560" y="${footer}" fill="#555">label: median · median of same-round ratios to the floor</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
