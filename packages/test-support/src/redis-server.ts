/**
 * Starts a real, throwaway `redis-server` for tests: Debian's binary on a free loopback port,
 * no persistence, in a temporary directory; stopped by the PID it started. Helpers pause
 * (SIGSTOP), resume (SIGCONT), kill (SIGKILL) and restart it on the same port, for fault
 * tests (SPEC F1, F2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/bin/redis-server';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;

/** One running redis-server started by this process. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The PID of the current process, or undefined while killed or stopped. */
  readonly pid: number | undefined;
  /** SIGSTOP: the server keeps its socket open but answers nothing. */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  /** SIGKILL, resolved once the process is gone: connections drop, data is lost. */
  kill(): Promise<void>;
  /** Starts a new process on the same port (after {@link kill}), resolved once it answers PING. */
  restart(): Promise<void>;
  /** Stops the server (resuming it first if paused) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** Every process this module started and has not seen exit, so none outlives the test run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port the kernel just had free on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** Resolves once `child` has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends PING over a plain socket and resolves on +PONG. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let reply = '';
    socket.setTimeout(READY_TIMEOUT_MS, () => socket.destroy(new Error('no answer to PING')));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (!reply.includes('\r\n')) return;
      socket.end();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected answer to PING: ${reply.trim()}`));
    });
  });
}

/**
 * Spawns redis-server on `port` (with `extraArgs` after the harness's own) and resolves once
 * it logged that it is ready and answered PING. The process is killed when this one exits.
 */
export async function launch(port: number, dir: string, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', ...extraArgs];
  const child = await spawnReady(args, 'Ready to accept connections', `redis-server on port ${port}`);
  await ping(port);
  return child;
}

/**
 * Spawns `redis-server` with `args` (a server, a cluster node, a Sentinel) and resolves once its
 * output shows `ready`; it is killed, and the promise rejects with its output, when it exits
 * or does not get there within the ready timeout. Tracked so that none outlives the test run.
 */
export async function spawnReady(args: readonly string[], ready: string, label: string): Promise<ChildProcess> {
  if (!existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: run \`node scripts/setup.mjs redis\` from the repository root`);
  }
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null): void => fail(new Error(`exited (${signal ?? code}) before it was ready`));
    function fail(error: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`${label}: ${error.message}\n${output}`));
    }
    child.once('error', (error) => fail(error));
    child.once('exit', onExit);
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!output.includes(ready)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout?.off('data', onOutput);
      resolve();
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
  // Keep draining the pipes so the process never blocks on a full one.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Stops `children` (SIGTERM by PID, SIGKILL after 5 s), then removes `dirs`. */
export async function stopChildren(children: readonly ChildProcess[], dirs: readonly string[]): Promise<void> {
  await Promise.all(children.map(async (child) => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(timer);
  }));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Starts a redis-server on a free loopback port. Call {@link RedisServer.stop} when done. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sessionware-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt += 1) {
    port = await freePort();
    try {
      child = await launch(port, dir);
    } catch (error) {
      // The free port may have been taken between the probe and the bind: try another.
      if (attempt >= 3 || String(error).includes('is missing')) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ChildProcess | undefined = child;
  let paused = false;

  const signal = (name: NodeJS.Signals): void => {
    if (current === undefined) throw new Error(`redis-server is not running: cannot send ${name}`);
    current.kill(name);
  };

  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    get pid() {
      return current?.pid;
    },
    pause() {
      signal('SIGSTOP');
      paused = true;
    },
    resume() {
      signal('SIGCONT');
      paused = false;
    },
    async kill() {
      const victim = current;
      if (victim === undefined) return;
      current = undefined;
      paused = false;
      victim.kill('SIGKILL');
      await exited(victim);
    },
    async restart() {
      if (current !== undefined) throw new Error('redis-server is still running: kill() it first');
      current = await launch(port, dir);
    },
    async stop() {
      const victim = current;
      current = undefined;
      if (victim !== undefined) {
        if (paused) victim.kill('SIGCONT');
        paused = false;
        victim.kill('SIGTERM');
        const timer = setTimeout(() => victim.kill('SIGKILL'), 5_000);
        await exited(victim);
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

