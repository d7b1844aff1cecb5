/**
 * Starts a real, throwaway Sentinel setup for tests (SPEC S2): one `redis-server` primary
 * (see {@link startRedisServer}) and `sentinels` Sentinel processes monitoring it under one
 * name, on free loopback ports, each with its own temporary directory and config file (a
 * Sentinel rewrites its config); ready once every Sentinel reports the primary. Stopped by
 * the PIDs it started. No replica and no failover: enough to prove a client finds the
 * primary through Sentinel.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnReady, startRedisServer, stopChildren, type RedisServer } from './redis-server.js';

const HOST = '127.0.0.1';

/** A running primary with its Sentinels, started by this process. */
export interface RedisSentinelSetup {
  readonly primary: RedisServer;
  /** The Sentinels' addresses, as a Sentinel client takes them. */
  readonly sentinels: ReadonlyArray<{ host: string; port: number }>;
  /** The name the Sentinels monitor the primary under. */
  readonly name: string;
  /** Stops the Sentinels and the primary (SIGTERM by PID, SIGKILL after 5 s) and removes their directories. Idempotent. */
  stop(): Promise<void>;
}

/** Spawns one Sentinel on `port` monitoring `primary`; resolves once it logged that it monitors it. */
async function launchSentinel(port: number, dir: string, primary: RedisServer, name: string): Promise<ChildProcess> {
  const config = join(dir, 'sentinel.conf');
  await writeFile(config, [
    `port ${port}`,
    `bind ${HOST}`,
    `dir ${dir}`,
    'logfile ""',
    `sentinel monitor ${name} ${primary.host} ${primary.port} 1`,
    `sentinel down-after-milliseconds ${name} 5000`,
    '',
  ].join('\n'));
  return spawnReady([config, '--sentinel'], `+monitor master ${name}`, `redis sentinel on port ${port}`);
}

/** Starts a primary and `sentinels` (default 1) Sentinels monitoring it as `name` (default `sessionware`). */
export async function startRedisSentinel(options: { sentinels?: number; name?: string } = {}): Promise<RedisSentinelSetup> {
  const name = options.name ?? 'sessionware';
  const primary = await startRedisServer();
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const sentinels: Array<{ host: string; port: number }> = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChildren(children, dirs);
    await primary.stop();
  };
  try {
    for (let n = 0; n < (options.sentinels ?? 1); n += 1) {
      const dir = await mkdtemp(join(tmpdir(), 'sessionware-sentinel-'));
      dirs.push(dir);
      const port = await freePort();
      children.push(await launchSentinel(port, dir, primary, name));
      sentinels.push({ host: HOST, port });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { primary, sentinels, name, stop };
}
