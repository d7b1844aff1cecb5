/**
 * Profiles a target under load with `node --cpu-prof`, optionally against a baseline:
 *
 *   pnpm build && node --import tsx bench/profile/profile.ts [target] [endpoint] [seconds] [baseline]
 *
 * (defaults: sessionware-express whoami 10, no baseline), on our built packages. Starts a fresh
 * redis-server; for the target (then the baseline): starts it with `--cpu-prof`, pre-logs-in,
 * warms up for 3 s, loads it for `seconds` (16 connections), stops it (which writes the
 * profile) and prints the load window in microseconds per request: by area (our files, each
 * dependency, Node internals, GC) and by function, self and inclusive; with a baseline, also
 * what the target spends more, by area and by function. Writes the summary to
 * bench/results/profile-<target>-<endpoint>.json (not committed) and leaves the raw
 * .cpuprofiles in a temporary directory (printed), for Chrome DevTools.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@sessionware/test-support';
import { ENDPOINTS, TARGETS, type EndpointId, type TargetId } from '../config.js';
import { preLogin, runLoad } from '../http/load.js';
import { cpuMicros, startTarget, TARGET_INFO } from '../http/targets.js';
import { RESULTS_DIR } from '../results.js';
import { runtimeOf } from '../runtime.js';
import { summarizeProfile, type CpuProfile, type ProfileRow, type ProfileSummary } from './summarize.js';

const CONNECTIONS = 16;
const INTERVAL_US = 200;
const WARMUP_SECONDS = 3;

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} is invalid: expected one of ${allowed.join(', ')}`);
  return value as T;
}

const [targetArg = 'sessionware-express', endpointArg = 'whoami', secondsArg = '10', baselineArg] = process.argv.slice(2);
const targetId = oneOf(targetArg, TARGETS, 'target');
const baselineId = baselineArg === undefined ? undefined : oneOf(baselineArg, TARGETS, 'baseline');
const endpoint: EndpointId = oneOf(endpointArg, ENDPOINTS, 'endpoint');
const seconds = Number(secondsArg);
if (!Number.isSafeInteger(seconds) || seconds < 1) throw new Error('seconds is invalid: expected a positive integer');
const runtime = runtimeOf('compiled');

interface Profiled {
  target: TargetId;
  requests: number;
  seconds: number;
  reqPerSec: number;
  appCpuUsPerReq: number;
  rawProfile: string;
  summary: ProfileSummary;
  /** Every function and area, for the comparison. */
  full: ProfileSummary;
}

/** Loads `id` under `--cpu-prof` and summarises the load window of its main thread. */
async function profileTarget(id: TargetId, redisUrl: string): Promise<Profiled> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionware-profile-'));
  const nodeOptions = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`];
  const target = await startTarget(TARGET_INFO[id], { redisUrl, secret: randomBytes(32).toString('base64url'), runtime, nodeOptions });
  let result: Awaited<ReturnType<typeof runLoad>>;
  let cpuUs: number;
  try {
    const load = { baseUrl: target.url, endpoint, cookie: await preLogin(target.url), connections: CONNECTIONS, loginUsers: 0 };
    await runLoad({ ...load, seconds: WARMUP_SECONDS });
    const cpuBefore = cpuMicros(target.pid);
    result = await runLoad({ ...load, seconds });
    cpuUs = cpuMicros(target.pid) - cpuBefore;
    if (result.non2xx + result.errors + result.timeouts + result.mismatches > 0) throw new Error(`${id}: failed requests under profiling: ${JSON.stringify(result.statusCodes)}`);
  } finally {
    await target.stop();
  }
  // One profile per thread: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; thread 0 is the main thread.
  const file = readdirSync(dir).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (file === undefined) throw new Error(`${id}: no main-thread .cpuprofile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const { requests } = result;
  return {
    target: id, requests, seconds: result.seconds, reqPerSec: requests / result.seconds, appCpuUsPerReq: cpuUs / requests, rawProfile: join(dir, file),
    summary: summarizeProfile(profile, result.seconds, requests),
    full: summarizeProfile(profile, result.seconds, requests, Number.POSITIVE_INFINITY),
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

function list(title: string, rows: ReadonlyArray<{ name: string; usPerReq: number }>, limit = rows.length): void {
  console.log(`\n${title}`);
  for (const row of rows.slice(0, limit)) console.log(`${row.usPerReq.toFixed(1).padStart(8)} µs  ${row.name}`);
}

function print({ target, requests, seconds, reqPerSec, appCpuUsPerReq, summary }: Profiled): void {
  console.log(`\n${target} ${endpoint}: ${requests} requests in ${seconds.toFixed(1)} s (${reqPerSec.toFixed(0)}/s), ` +
    `app CPU ${appCpuUsPerReq.toFixed(1)} µs/request (/proc), main thread sampled ${summary.sampledUsPerReq.toFixed(1)} µs/request`);
  list('By area (self time)', summary.byArea, 20);
  list('By function, self', summary.selfByFunction, 20);
  list('By function, inclusive', summary.totalByFunction, 25);
}

const server = await startRedisServer();
try {
  const profiled = await profileTarget(targetId, server.url);
  print(profiled);
  const { target, requests, reqPerSec, appCpuUsPerReq, rawProfile, summary } = profiled;
  const report: Record<string, unknown> = {
    target, endpoint, date: new Date().toISOString(), node: process.version, connections: CONNECTIONS,
    samplingIntervalUs: INTERVAL_US, requests, seconds: profiled.seconds, reqPerSec, appCpuUsPerReq, rawProfile, ...summary,
  };
  const raw = [rawProfile];
  if (baselineId !== undefined) {
    const baseline = await profileTarget(baselineId, server.url);
    print(baseline);
    const moreByArea = difference(profiled.full.byArea, baseline.full.byArea, 25);
    const moreByFunction = difference(profiled.full.selfByFunction, baseline.full.selfByFunction, 40);
    console.log(`\n${targetId} minus ${baselineId}: main thread sampled ${(summary.sampledUsPerReq - baseline.summary.sampledUsPerReq).toFixed(1)} µs/request more`);
    list('By area (self time)', moreByArea);
    list('By function (self time)', moreByFunction);
    const { appCpuUsPerReq, reqPerSec, rawProfile } = baseline;
    report['against'] = { target: baselineId, appCpuUsPerReq, sampledUsPerReq: baseline.summary.sampledUsPerReq, reqPerSec, rawProfile, moreByArea, moreByFunction };
    raw.push(rawProfile);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = `${RESULTS_DIR}profile-${targetId}-${endpoint}.json`;
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nsummary: ${out}\nraw profiles: ${raw.join(' ')}`);
} finally {
  await server.stop();
}
