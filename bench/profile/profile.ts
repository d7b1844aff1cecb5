/**
 * Profiles one target under the bench's load with `node --cpu-prof`:
 *
 *   pnpm build && node --import tsx bench/profile/profile.ts [target] [endpoint] [seconds]
 *
 * (defaults: sessionware-express whoami 10), on our built packages, with a fresh redis-server,
 * pre-logged-in and warmed up as the bench does (BENCH_CONNECTIONS, BENCH_WARMUP and
 * BENCH_LOGIN_USERS apply). Prints, for the load window of the main thread in µs per request,
 * the 15 functions with the most self time and the shares of our files (packages/, bench/apps/),
 * dependencies and Node internals; the `.cpuprofile` it names opens in Chrome DevTools.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@sessionware/test-support';
import { ENDPOINTS, readConfig, TARGETS } from '../config.js';
import { preLogin, runLoad } from '../http/load.js';
import { cpuMicros, startTarget, TARGET_INFO, type RunningTarget } from '../http/targets.js';
import { ROOT } from '../results.js';
import { runtimeOf } from '../runtime.js';

/** The parts of a `.cpuprofile` used here. */
type Frame = { functionName: string; url: string; lineNumber: number };
type CpuProfile = { nodes: Array<{ id: number; callFrame: Frame }>; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} is invalid: expected one of ${allowed.join(', ')}`);
  return value as T;
}
const [targetArg = 'sessionware-express', endpointArg = 'whoami', secondsArg = '10'] = process.argv.slice(2);
const id = oneOf(targetArg, TARGETS, 'target');
const endpoint = oneOf(endpointArg, ENDPOINTS, 'endpoint');
const seconds = Number(secondsArg);
if (!Number.isSafeInteger(seconds) || seconds < 1) throw new Error('seconds is invalid: expected a positive integer');
const config = readConfig();

/** Where a frame's code lives: (garbage collector), (program), (idle) and other VM frames have no URL. */
const kindOf = ({ url, functionName }: Frame): string => url === '' ? (functionName.startsWith('(') ? functionName : '(native)')
  : url.startsWith('node:') ? 'node internals' : url.includes('/node_modules/') ? 'dependencies' : 'our files';
const functionKey = ({ url, functionName, lineNumber }: Frame): string => {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  return `${functionName || '(anonymous)'}${url === '' ? '' : ` ${dependency ?? url.replace(/^file:\/\//, '').replace(ROOT, '')}:${lineNumber + 1}`}`;
};
const add = (counts: Map<string, number>, key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);

const dir = mkdtempSync(join(tmpdir(), 'sessionware-profile-'));
const server = await startRedisServer();
let target: RunningTarget | undefined;
let load: Awaited<ReturnType<typeof runLoad>>;
let cpuUs: number;
try {
  const nodeOptions = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'];
  target = await startTarget(TARGET_INFO[id], { redisUrl: server.url, secret: randomBytes(32).toString('base64url'), runtime: runtimeOf('compiled'), nodeOptions });
  const cookie = await preLogin(target.url);
  if (config.warmupSeconds > 0) await runLoad(target.url, endpoint, cookie, config.warmupSeconds, config);
  const cpuBefore = cpuMicros(target.pid);
  load = await runLoad(target.url, endpoint, cookie, seconds, config);
  cpuUs = cpuMicros(target.pid) - cpuBefore;
  if (load.non2xx + load.errors + load.timeouts + load.mismatches > 0) throw new Error(`${id}: failed requests under profiling: ${JSON.stringify(load.statusCodes)}`);
} finally {
  await target?.stop(); // the target writes its profile as it exits
  await server.stop();
}

// One profile per thread: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; thread 0 is the main thread.
const file = readdirSync(dir).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
if (file === undefined) throw new Error(`${id}: no main-thread .cpuprofile written in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const windowStart = profile.endTime - load.seconds * 1e6; // the target exits right after the load
const [self, kinds] = [new Map<string, number>(), new Map<string, number>()];
let [time, windowUs, counted, busy] = [profile.startTime, 0, 0, 0];
for (const [i, sample] of profile.samples.entries()) {
  time += profile.timeDeltas[i] ?? 0;
  const frame = frames.get(sample);
  if (time < windowStart || frame === undefined) continue;
  [windowUs, counted] = [windowUs + (profile.timeDeltas[i] ?? 0), counted + 1];
  if (frame.functionName === '(idle)') continue;
  busy += 1;
  add(kinds, kindOf(frame));
  add(self, functionKey(frame));
}
if (counted === 0) throw new Error('the profile has no samples in the load window');
const usPerReq = (count: number): string => ((count * windowUs) / counted / load.requests).toFixed(1).padStart(8);
console.log(`${id} ${endpoint}: ${load.requests} requests in ${load.seconds.toFixed(1)} s (${(load.requests / load.seconds).toFixed(0)}/s), ` +
  `app CPU ${(cpuUs / load.requests).toFixed(1)} µs/request (/proc), main thread sampled ${usPerReq(busy).trim()} µs/request\n\nTop 15 functions by self time, µs/request:`);
for (const [name, count] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${usPerReq(count)}  ${name}`);
console.log(`\nSelf time: ${[...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${((100 * count) / busy).toFixed(0)} %`).join(', ')}\n` +
  `\nprofile (Chrome DevTools, Performance → Load profile): ${join(dir, file)}`);
