/**
 * The benchmark targets and how one is started: each in its own Node process (so its CPU time
 * can be read from /proc/<pid>/stat), the app's TypeScript through tsx and our packages as the
 * runtime says, with an IPC channel to the harness (see `bench/apps/child.ts`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TargetId } from '../config.js';
import type { ChildMessage, ParentMessage } from '../apps/child.js';
import type { TargetResultInfo } from '../results.js';
import type { Runtime } from '../runtime.js';

/** What a target is: its label for tables and the chart, its app under bench/apps/, the packages the report lists, extra environment. */
export interface TargetInfo extends Omit<TargetResultInfo, 'packages'> {
  readonly app: string;
  readonly packages: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const target = (id: TargetId, label: string, app: string, packages: string[], store: 'redis' | 'memory' = 'redis'): TargetInfo => ({
  id, label, framework: app.includes('koa') ? 'koa' : 'express', store, app, packages, env: app.startsWith('sessionware') ? { BENCH_STORE: store } : {},
});
const KOA = ['koa', '@koa/router'];

export const TARGET_INFO: Readonly<Record<TargetId, TargetInfo>> = {
  floor: target('floor', 'floor (Express + 1 GET)', 'floor.ts', ['express', 'ioredis']),
  'express-session': target('express-session', 'express-session + connect-redis', 'express-session.ts', ['express', 'express-session', 'connect-redis', 'redis']),
  'sessionware-express': target('sessionware-express', 'sessionware Express + Redis', 'sessionware-express.ts', ['express', '@sessionware/express', '@sessionware/redis', 'ioredis']),
  'koa-session': target('koa-session', 'koa-session + Redis', 'koa-session.ts', [...KOA, 'koa-session', 'ioredis']),
  'sessionware-koa': target('sessionware-koa', 'sessionware Koa + Redis', 'sessionware-koa.ts', [...KOA, '@sessionware/koa', '@sessionware/redis', 'ioredis']),
  'sessionware-express-memory': target('sessionware-express-memory', 'sessionware Express + MemoryStore', 'sessionware-express.ts', ['express', '@sessionware/express'], 'memory'),
  'sessionware-koa-memory': target('sessionware-koa-memory', 'sessionware Koa + MemoryStore', 'sessionware-koa.ts', [...KOA, '@sessionware/koa'], 'memory'),
};

const [APPS, START_TIMEOUT_MS] = [fileURLToPath(new URL('../apps/', import.meta.url)), 30_000];

/** Starts a target and resolves once it listens; `nodeOptions` are extra Node options, e.g. `--cpu-prof`. */
export async function startTarget(info: TargetInfo, options: { redisUrl: string; secret: string; runtime: Runtime; nodeOptions?: readonly string[] }) {
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...options.runtime.nodeArgs, `${APPS}${info.app}`], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...info.env, NODE_ENV: 'production', BENCH_REDIS_URL: options.redisUrl, BENCH_SECRET: options.secret },
  });
  let log = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-20_000); });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${info.id}: could not be started`);
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (error: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${info.id}: ${error}\n${log}`));
    };
    const timer = setTimeout(() => fail(`not listening within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null): void => fail(`exited (${signal ?? code}) before listening`);
    child.once('exit', onExit);
    child.on('message', function onReady(message: ChildMessage) {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit).off('message', onReady);
      resolve(message.port);
    });
  });
  const send = (message: ParentMessage): void => {
    if (child.connected) child.send(message);
  };
  return {
    info,
    pid,
    url: `http://127.0.0.1:${port}`,
    /** How many Redis commands the target's client has sent so far. */
    redisCommandsSent: (): Promise<number> => new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${info.id}: the process is gone\n${log}`));
      child.on('message', function onStats(message: ChildMessage) {
        if (message.type !== 'stats') return;
        child.off('message', onStats);
        resolve(message.redisCommandsSent);
      });
      send({ type: 'stats' });
    }),
    /** Asks it to exit (so `--cpu-prof` writes its profile); SIGKILL if it has not after 5 s. */
    async stop(): Promise<void> {
      send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(timer);
    },
    /** Its stdout and stderr so far, for failure messages. */
    output: (): string => log,
  };
}
export type RunningTarget = Awaited<ReturnType<typeof startTarget>>;

let ticksPerSecond: number | undefined;

/** User + system CPU time of `pid` so far (/proc/<pid>/stat fields 14 and 15, all threads), in microseconds. */
export function cpuMicros(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: split after it; fields[0] is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[14 - 3]), Number(fields[15 - 3])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/${pid}/stat: ${stat}`);
  return ((utime + stime) * 1_000_000) / ticksPerSecond;
}
