/**
 * The benchmark targets and how one is started: each in its own Node process (so its CPU
 * time can be read from /proc/<pid>/stat), the app's TypeScript through tsx and our
 * packages as the runtime says (as built by `pnpm build` by default), with an IPC channel to the harness
 * (see `bench/apps/child.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetId } from '../config.js';
import type { ChildMessage, ParentMessage } from '../apps/child.js';
import type { Runtime } from '../runtime.js';

/** What a target is. */
export interface TargetInfo {
  readonly id: TargetId;
  /** Short label for tables and the chart. */
  readonly label: string;
  readonly framework: 'express' | 'koa';
  readonly store: 'redis' | 'memory';
  /** The app file under bench/apps/. */
  readonly app: string;
  /** The npm packages whose versions the report lists for this target. */
  readonly packages: readonly string[];
  /** Extra environment of the app process. */
  readonly env: Readonly<Record<string, string>>;
}

export const TARGET_INFO: Readonly<Record<TargetId, TargetInfo>> = {
  floor: {
    id: 'floor', label: 'floor (Express + 1 GET)', framework: 'express', store: 'redis',
    app: 'floor.ts', packages: ['express', 'ioredis'], env: {},
  },
  'express-session': {
    id: 'express-session', label: 'express-session + connect-redis', framework: 'express', store: 'redis',
    app: 'express-session.ts', packages: ['express', 'express-session', 'connect-redis', 'redis'], env: {},
  },
  'sessionware-express': {
    id: 'sessionware-express', label: 'sessionware Express + Redis', framework: 'express', store: 'redis',
    app: 'sessionware-express.ts', packages: ['express', '@sessionware/express', '@sessionware/redis', 'ioredis'], env: { BENCH_STORE: 'redis' },
  },
  'koa-session': {
    id: 'koa-session', label: 'koa-session + Redis', framework: 'koa', store: 'redis',
    app: 'koa-session.ts', packages: ['koa', '@koa/router', 'koa-session', 'ioredis'], env: {},
  },
  'sessionware-koa': {
    id: 'sessionware-koa', label: 'sessionware Koa + Redis', framework: 'koa', store: 'redis',
    app: 'sessionware-koa.ts', packages: ['koa', '@koa/router', '@sessionware/koa', '@sessionware/redis', 'ioredis'], env: { BENCH_STORE: 'redis' },
  },
  'sessionware-express-memory': {
    id: 'sessionware-express-memory', label: 'sessionware Express + MemoryStore', framework: 'express', store: 'memory',
    app: 'sessionware-express.ts', packages: ['express', '@sessionware/express'], env: { BENCH_STORE: 'memory' },
  },
  'sessionware-koa-memory': {
    id: 'sessionware-koa-memory', label: 'sessionware Koa + MemoryStore', framework: 'koa', store: 'memory',
    app: 'sessionware-koa.ts', packages: ['koa', '@koa/router', '@sessionware/koa'], env: { BENCH_STORE: 'memory' },
  },
};

/** A running target process. */
export interface RunningTarget {
  readonly info: TargetInfo;
  readonly pid: number;
  readonly url: string;
  /** How many Redis commands the target's client has sent so far. */
  redisCommandsSent(): Promise<number>;
  /** Asks it to exit; SIGKILL (to its PID) if it has not after 5 s. */
  stop(): Promise<void>;
  /** Its stdout and stderr so far, for failure messages. */
  output(): string;
}

/** Options of {@link startTarget}. */
export interface StartOptions {
  redisUrl: string;
  secret: string;
  /** How the process runs our packages. */
  runtime: Runtime;
  /** Extra Node options, e.g. `--cpu-prof`. */
  nodeOptions?: readonly string[];
}

const APPS = fileURLToPath(new URL('../apps/', import.meta.url));
const START_TIMEOUT_MS = 30_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a target and resolves once it listens. */
export async function startTarget(info: TargetInfo, options: StartOptions): Promise<RunningTarget> {
  const args = [...(options.nodeOptions ?? []), ...options.runtime.nodeArgs, resolve(APPS, info.app)];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      ...info.env,
      NODE_ENV: 'production',
      BENCH_REDIS_URL: options.redisUrl,
      BENCH_SECRET: options.secret,
    },
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${info.id}: could not be started`);

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`not listening within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(message.port);
    };
    const onExit = (code: number | null, signal: string | null): void => fail(new Error(`exited (${signal ?? code}) before listening`));
    function fail(error: Error): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.kill('SIGKILL');
      reject(new Error(`${info.id}: ${error.message}\n${log}`));
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

  const send = (message: ParentMessage): void => {
    if (child.connected) child.send(message);
  };

  return {
    info,
    pid,
    url: `http://127.0.0.1:${port}`,
    redisCommandsSent() {
      return new Promise((resolve, reject) => {
        if (!child.connected) {
          reject(new Error(`${info.id}: the process is gone\n${log}`));
          return;
        }
        const onMessage = (message: ChildMessage): void => {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(message.redisCommandsSent);
        };
        child.on('message', onMessage);
        send({ type: 'stats' });
      });
    },
    async stop() {
      send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    },
    output: () => log,
  };
}
