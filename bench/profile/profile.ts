/**
 * Profiles a target under load with `node --cpu-prof`, optionally against a baseline:
 *
 *   node --conditions=sessionware-source --import tsx bench/profile/profile.ts [target] [endpoint] [seconds] [baseline]
 *
 * (defaults: sessionware-express whoami 10, no baseline; BENCH_SOURCE=1 profiles the
 * TypeScript sources through tsx instead of our compiled packages). Starts a fresh
 * redis-server; for the target (then the baseline): starts it with `--cpu-prof`, pre-logs-in,
 * warms up for 3 s, loads it for `seconds` (16 connections), stops it (which writes the
 * profile) and summarises the load window in microseconds per request: by area (our files,
 * each dependency, Node internals, GC) and by function, self and inclusive. With a baseline,
 * also what the target spends more than the baseline, by area and by function. Writes
 * bench/results/profile-<target>-<endpoint>.json and leaves the raw .cpuprofiles in a
 * temporary directory (printed), for Chrome DevTools.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@sessionware/test-support';
import { runtimeKind, withRuntime, type Runtime } from '../compiled/runtime.js';
import { ENDPOINTS, TARGETS, type EndpointId, type TargetId } from '../config.js';
import { preLogin, runLoad } from '../http/load.js';
import { cpuMicros } from '../http/proc.js';
import { startTarget, TARGET_INFO } from '../http/targets.js';
import { RESULTS_DIR } from '../results.js';
import { summarizeProfile, type CpuProfile, type ProfileRow, type ProfileSummary } from './summarize.js';

const CONNECTIONS = 16;
const INTERVAL_US = 200;
const WARMUP_SECONDS = 3;

function targetArgument(value: string, name: string): TargetId {
  if (!(TARGETS as readonly string[]).includes(value)) throw new Error(`${name} is invalid: expected one of ${TARGETS.join(', ')}`);
  return value as TargetId;
}

const [targetArg = 'sessionware-express', endpointArg = 'whoami', secondsArg = '10', baselineArg] = process.argv.slice(2);
const targetId = targetArgument(targetArg, 'target');
const baselineId = baselineArg === undefined ? undefined : targetArgument(baselineArg, 'baseline');
if (!(ENDPOINTS as readonly string[]).includes(endpointArg)) throw new Error(`endpoint is invalid: expected one of ${ENDPOINTS.join(', ')}`);
const endpoint = endpointArg as EndpointId;
const seconds = Number(secondsArg);
if (!Number.isSafeInteger(seconds) || seconds < 1) throw new Error('seconds is invalid: expected a positive integer');

interface Profiled {
  target: TargetId;
  requests: number;
  seconds: number;
  reqPerSec: number;
  appCpuUsPerReq: number;
  rawProfile: string;
  summary: ProfileSummary;
  /** Every function and area, for comparisons. */
  full: ProfileSummary;
}

/** Loads `id` under `--cpu-prof` and summarises the load window of its main thread. */
async function profileTarget(id: TargetId, runtime: Runtime, redisUrl: string): Promise<Profiled> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionware-profile-'));
  const target = await startTarget(TARGET_INFO[id], {
    redisUrl,
    secret: randomBytes(32).toString('base64url'),
    runtime,
    nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`],
  });
  let measured: { requests: number; seconds: number; cpuUs: number };
  try {
    const cookie = await preLogin(target.url);
    const load = { baseUrl: target.url, endpoint, cookie, connections: CONNECTIONS, loginUsers: 0 };
    await runLoad({ ...load, seconds: WARMUP_SECONDS });
    const cpuBefore = cpuMicros(target.pid);
    const result = await runLoad({ ...load, seconds });
    const cpuUs = cpuMicros(target.pid) - cpuBefore;
    if (result.non2xx + result.errors + result.timeouts + result.mismatches > 0) {
      throw new Error(`${id}: failed requests under profiling: ${JSON.stringify(result.statusCodes)}`);
    }
    measured = { requests: result.requests, seconds: result.seconds, cpuUs };
  } finally {
    await target.stop();
  }
  // One profile per thread: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; thread 0 is the main thread.
  const file = readdirSync(dir).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (file === undefined) throw new Error(`${id}: no main-thread .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  return {
    target: id,
    requests: measured.requests,
    seconds: measured.seconds,
    reqPerSec: measured.requests / measured.seconds,
    appCpuUsPerReq: measured.cpuUs / measured.requests,
    rawProfile: join(dir, file),
    summary: summarizeProfile(profile, measured.seconds, measured.requests),
    full: summarizeProfile(profile, measured.seconds, measured.requests, Number.POSITIVE_INFINITY),
  };
}

/** Rows of `target` minus `baseline`, largest differences first. */
function difference(target: ProfileRow[], baseline: ProfileRow[], limit: number): Array<{ name: string; usPerReq: number; target: number; baseline: number }> {
  const both = new Map<string, { target: number; baseline: number }>();
  for (const row of target) both.set(row.name, { target: row.usPerReq, baseline: 0 });
  for (const row of baseline) both.set(row.name, { target: both.get(row.name)?.target ?? 0, baseline: row.usPerReq });
  return [...both.entries()]
    .map(([name, value]) => ({ name, usPerReq: value.target - value.baseline, ...value }))
    .sort((a, b) => Math.abs(b.usPerReq) - Math.abs(a.usPerReq))
    .slice(0, limit);
}

const usRow = (value: number, name: string): string => `${value.toFixed(1).padStart(8)} µs  ${name}`;

function print(profiled: Profiled, runtime: Runtime): void {
  const { summary } = profiled;
  console.log(`\n${profiled.target} ${endpoint} (${runtime.kind}): ${profiled.requests} requests in ${profiled.seconds.toFixed(1)} s ` +
    `(${profiled.reqPerSec.toFixed(0)}/s), app CPU ${profiled.appCpuUsPerReq.toFixed(1)} µs/request (/proc), ` +
    `main thread sampled ${summary.sampledUsPerReq.toFixed(1)} µs/request`);
  const list = (title: string, rows: ProfileRow[], limit: number): void => {
    console.log(`\n${title}`);
    for (const row of rows.slice(0, limit)) console.log(usRow(row.usPerReq, row.name));
  };
  list('By area (self time)', summary.byArea, 20);
  list('By function, self', summary.selfByFunction, 20);
  list('By function, inclusive', summary.totalByFunction, 25);
}

const server = await startRedisServer();
try {
  await withRuntime(runtimeKind(), async (runtime) => {
    const profiled = await profileTarget(targetId, runtime, server.url);
    print(profiled, runtime);
    const report: Record<string, unknown> = {
      target: targetId,
      endpoint,
      runtime: runtime.kind,
      date: new Date().toISOString(),
      node: process.version,
      connections: CONNECTIONS,
      samplingIntervalUs: INTERVAL_US,
      requests: profiled.requests,
      seconds: profiled.seconds,
      reqPerSec: profiled.reqPerSec,
      appCpuUsPerReq: profiled.appCpuUsPerReq,
      rawProfile: profiled.rawProfile,
      ...profiled.summary,
    };
    if (baselineId !== undefined) {
      const baseline = await profileTarget(baselineId, runtime, server.url);
      print(baseline, runtime);
      const byArea = difference(profiled.full.byArea, baseline.full.byArea, 25);
      const byFunction = difference(profiled.full.selfByFunction, baseline.full.selfByFunction, 40);
      console.log(`\n${targetId} minus ${baselineId}: main thread sampled ` +
        `${(profiled.summary.sampledUsPerReq - baseline.summary.sampledUsPerReq).toFixed(1)} µs/request more`);
      console.log('\nBy area (self time)');
      for (const row of byArea) console.log(usRow(row.usPerReq, row.name));
      console.log('\nBy function (self time)');
      for (const row of byFunction) console.log(usRow(row.usPerReq, row.name));
      report['against'] = {
        target: baselineId,
        appCpuUsPerReq: baseline.appCpuUsPerReq,
        sampledUsPerReq: baseline.summary.sampledUsPerReq,
        reqPerSec: baseline.reqPerSec,
        rawProfile: baseline.rawProfile,
        moreByArea: byArea,
        moreByFunction: byFunction,
      };
    }
    mkdirSync(RESULTS_DIR, { recursive: true });
    const out = `${RESULTS_DIR}profile-${targetId}-${endpoint}${runtime.kind === 'source' ? '-source' : ''}.json`;
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nsummary: ${out}\nraw profiles: ${[profiled.rawProfile, report['against'] === undefined ? '' : (report['against'] as { rawProfile: string }).rawProfile].join(' ').trim()}`);
  });
} finally {
  await server.stop();
}
