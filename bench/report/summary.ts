/**
 * Everything the report shows, derived from a results file: per endpoint and target the
 * medians over rounds, and the ratios to the baseline measured in the same round (their
 * median and range), plus the goals of issue 6 evaluated on them.
 */
import { BASELINE, type EndpointId, type TargetId } from '../config.js';
import type { BenchResults, HttpRun, TargetResultInfo } from '../results.js';
import { median } from '../stats.js';

export type Ratio = { median: number; min: number; max: number };

/** The HttpRun figures the report shows the medians over rounds of. */
const MEDIANS = ['reqPerSec', 'latencyP50Ms', 'latencyP99Ms', 'appCpuUsPerReq', 'redisSentPerReq', 'redisCallsPerReq', 'redisCpuUsPerReq'] as const;

/** Medians over the rounds of the HttpRun figures of the same names. */
export type TargetSummary = Record<(typeof MEDIANS)[number], number> & {
  target: TargetResultInfo;
  redisCallsByCommand: Record<string, number>;
  failures: number;
  /** Per round: this target's value / the baseline's in the same round. */
  reqPerSecRatio: Ratio;
  appCpuRatio: Ratio;
};

export type EndpointSummary = { endpoint: EndpointId; targets: TargetSummary[] };
/** `met` undefined: not measured. */
export type Goal = { text: string; measured: string; met: boolean | undefined };

function ratios(runs: readonly HttpRun[], baseline: readonly HttpRun[], metric: (run: HttpRun) => number): Ratio {
  const values = runs.flatMap((run) => {
    const base = baseline.find((candidate) => candidate.round === run.round);
    return base === undefined ? [] : [metric(run) / metric(base)];
  });
  return values.length === 0 ? { median: Number.NaN, min: Number.NaN, max: Number.NaN } : { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Medians and same-round ratios per endpoint and target. */
export function summarize(results: BenchResults): EndpointSummary[] {
  const http = results.http;
  if (http === undefined) return [];
  return http.endpoints.map((endpoint) => {
    const runsOf = (id: TargetId): HttpRun[] => http.runs.filter((run) => run.endpoint === endpoint && run.target === id);
    const baseline = runsOf(BASELINE);
    return {
      endpoint,
      targets: http.targets.map((target) => {
        const runs = runsOf(target.id);
        const medianOf = (metric: (run: HttpRun) => number): number => median(runs.map(metric));
        const commands = [...new Set(runs.flatMap((run) => Object.keys(run.redisCallsByCommand)))].sort();
        return {
          ...Object.fromEntries(MEDIANS.map((name) => [name, medianOf((run) => run[name])])) as Record<(typeof MEDIANS)[number], number>,
          target,
          redisCallsByCommand: Object.fromEntries(commands.map((name) => [name, medianOf((run) => run.redisCallsByCommand[name] ?? 0)])),
          failures: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts + run.mismatches, 0),
          reqPerSecRatio: ratios(runs, baseline, (run) => run.reqPerSec),
          appCpuRatio: ratios(runs, baseline, (run) => run.appCpuUsPerReq),
        };
      }),
    };
  });
}

/** The goals of issue 6, on authenticated `GET /whoami` on Redis, evaluated on one results file. */
export function evaluateGoals(results: BenchResults, summary: readonly EndpointSummary[]): Goal[] {
  const find = (endpoint: EndpointId, id: TargetId): TargetSummary | undefined =>
    summary.find((entry) => entry.endpoint === endpoint)?.targets.find((entry) => entry.target.id === id);
  const measured = (ratio: Ratio, prefix = ''): string => `${prefix}${ratio.median.toFixed(2)}× (rounds: ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;

  const express = find('whoami', 'sessionware-express');
  const koa = find('whoami', 'sessionware-koa');
  const koaSession = find('whoami', 'koa-session');
  const whoami = results.http?.runs.filter((run) => run.endpoint === 'whoami') ?? [];
  const koaRatio = ratios(whoami.filter((run) => run.target === 'sessionware-koa'), whoami.filter((run) => run.target === 'koa-session'), (run) => run.appCpuUsPerReq);
  const goals: Goal[] = [
    { text: 'Express adapter: app CPU per request ≤ 1.12× the floor’s', measured: express === undefined ? 'not measured' : measured(express.appCpuRatio), met: express && express.appCpuRatio.median <= 1.12 },
    { text: 'Express adapter: req/s ≥ 0.85× the floor’s', measured: express === undefined ? 'not measured' : measured(express.reqPerSecRatio), met: express && express.reqPerSecRatio.median >= 0.85 },
    { text: 'Koa adapter: app CPU per request ≤ koa-session + Redis', met: koa && koaSession && koaRatio.median <= 1, measured: koa === undefined || koaSession === undefined
      ? 'not measured' : measured(koaRatio, `${koa.appCpuUsPerReq.toFixed(1)} µs vs ${koaSession.appCpuUsPerReq.toFixed(1)} µs: `) },
  ];
  for (const [endpoint, expected, label] of [['whoami', 1, 'read-only'], ['counter', 2, 'write']] as const) {
    const ours = (['sessionware-express', 'sessionware-koa'] as const).map((id) => find(endpoint, id)).filter((entry) => entry !== undefined);
    goals.push({
      text: `Redis: ${expected} round trip${expected === 1 ? '' : 's'} for an authenticated ${label} request`,
      measured: ours.length === 0 ? 'not measured' : ours.map((entry) => `${entry.target.framework === 'express' ? 'Express' : 'Koa'} ${entry.redisSentPerReq.toFixed(2)}`).join(', '),
      // A few requests are in flight when a run stops: allow 1 %.
      met: ours.length === 0 ? undefined : ours.every((entry) => Math.abs(entry.redisSentPerReq - expected) <= 0.01 * expected),
    });
  }
  return goals;
}
