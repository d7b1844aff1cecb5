/**
 * Everything the report shows, derived from a results file: per endpoint and target the
 * medians over rounds, and the ratios to the baseline measured in the same round (their
 * median and range), plus the goals of issue 6 evaluated on them.
 */
import { BASELINE, type EndpointId, type TargetId } from '../config.js';
import type { BenchResults, HttpRun, TargetResultInfo } from '../results.js';
import { median, range } from '../stats.js';

export interface Ratio {
  median: number;
  min: number;
  max: number;
}

/** Medians over the rounds of the HttpRun figures of the same names. */
export interface TargetSummary {
  target: TargetResultInfo;
  rounds: number;
  requests: number;
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  appCpuUsPerReq: number;
  redisSentPerReq: number;
  redisCallsPerReq: number;
  redisCallsByCommand: Record<string, number>;
  redisCpuUsPerReq: number;
  failures: number;
  /** Per round: this target's value / the baseline's in the same round. */
  reqPerSecRatio: Ratio;
  appCpuRatio: Ratio;
}

export interface EndpointSummary {
  endpoint: EndpointId;
  targets: TargetSummary[];
}

export interface Goal {
  text: string;
  measured: string;
  /** undefined: not measured. */
  met: boolean | undefined;
}

function ratios(runs: readonly HttpRun[], baseline: readonly HttpRun[], metric: (run: HttpRun) => number): Ratio {
  const values = runs.flatMap((run) => {
    const base = baseline.find((candidate) => candidate.round === run.round);
    return base === undefined ? [] : [metric(run) / metric(base)];
  });
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const [min, max] = range(values);
  return { median: median(values), min, max };
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
          target,
          rounds: runs.length,
          requests: runs.reduce((sum, run) => sum + run.requests, 0),
          reqPerSec: medianOf((run) => run.reqPerSec),
          latencyP50Ms: medianOf((run) => run.latencyP50Ms),
          latencyP99Ms: medianOf((run) => run.latencyP99Ms),
          appCpuUsPerReq: medianOf((run) => run.appCpuUsPerReq),
          redisSentPerReq: medianOf((run) => run.redisSentPerReq),
          redisCallsPerReq: medianOf((run) => run.redisCallsPerReq),
          redisCallsByCommand: Object.fromEntries(commands.map((name) => [name, medianOf((run) => run.redisCallsByCommand[name] ?? 0)])),
          redisCpuUsPerReq: medianOf((run) => run.redisCpuUsPerReq),
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
  const x = (value: number): string => `${value.toFixed(2)}×`;
  const measured = (ratio: Ratio, prefix = ''): string => `${prefix}${x(ratio.median)} (rounds: ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;

  const express = find('whoami', 'sessionware-express');
  const koa = find('whoami', 'sessionware-koa');
  const koaSession = find('whoami', 'koa-session');
  const whoami = results.http?.runs.filter((run) => run.endpoint === 'whoami') ?? [];
  const koaRatio = koa === undefined || koaSession === undefined ? undefined
    : ratios(whoami.filter((run) => run.target === 'sessionware-koa'), whoami.filter((run) => run.target === 'koa-session'), (run) => run.appCpuUsPerReq);
  const goals: Goal[] = [
    { text: 'Express adapter: app CPU per request ≤ 1.12× the floor’s', measured: express === undefined ? 'not measured' : measured(express.appCpuRatio), met: express && express.appCpuRatio.median <= 1.12 },
    { text: 'Express adapter: req/s ≥ 0.85× the floor’s', measured: express === undefined ? 'not measured' : measured(express.reqPerSecRatio), met: express && express.reqPerSecRatio.median >= 0.85 },
    {
      text: 'Koa adapter: app CPU per request ≤ koa-session + Redis',
      measured: koa === undefined || koaSession === undefined || koaRatio === undefined ? 'not measured'
        : measured(koaRatio, `${koa.appCpuUsPerReq.toFixed(1)} µs vs ${koaSession.appCpuUsPerReq.toFixed(1)} µs: `),
      met: koaRatio && koaRatio.median <= 1,
    },
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
