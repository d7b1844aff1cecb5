/**
 * What every benchmark target app shares. Each target runs in its own child process, started
 * by the harness (`bench/http/targets.ts`) with an IPC channel: the app listens on a free
 * loopback port and sends `{ type: 'ready', port }`; `{ type: 'stats' }` is answered with how
 * many Redis commands its client sent so far (counted in the client, so a Lua script is one
 * command, as it is one round trip); `{ type: 'exit' }` (or the parent going away) closes its
 * Redis client and exits normally, so that `--cpu-prof` can write its profile.
 *
 * Every target answers the same three routes with the same bodies: `POST /login`
 * `{"username"}` → `{"user": {...}}`, `GET /whoami` → `{"user": {...}}` or 401,
 * `POST /counter` → `{"counter": n}`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorRequestHandler } from 'express';
import { Redis } from 'ioredis';

export type ParentMessage = { type: 'stats' } | { type: 'exit' };
export type ChildMessage = { type: 'ready'; port: number } | { type: 'stats'; redisCommandsSent: number };

/** A user as the targets keep it in the session: the same object for every target. */
export type BenchUser = { id: string; username: string; emailConfirmed: boolean };

/** Redis commands sent by this process's client, counted where they are sent. */
let sent = 0;

/** Counts one Redis command (for clients whose calls the target wraps itself). */
export function countRedisCommand(): void {
  sent += 1;
}

/** A required environment variable set by the harness. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`bench target: ${name} is not set (targets are started by bench/run.ts)`);
  return value;
}

/**
 * An ioredis client with the options `@sessionware/redis` recommends, every command it sends
 * counted: ioredis sends each command, EVALSHA and its EVAL fallback included, through `sendCommand`.
 */
export async function connectIoredis(): Promise<Redis> {
  const client = new Redis(requiredEnv('BENCH_REDIS_URL'), { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (attempt) => Math.min(attempt * 100, 1_000) });
  client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    countRedisCommand();
    return send(...args);
  }) as Redis['sendCommand'];
  return client;
}

/** The users table: the app's "database", in process memory, the same for every target; it answers copies. */
export function usersTable(): { findOrCreate(username: string): BenchUser; get(id: string): BenchUser | null } {
  const byId = new Map<string, BenchUser>();
  const byName = new Map<string, BenchUser>();
  return {
    findOrCreate(username) {
      let user = byName.get(username);
      if (user === undefined) {
        user = { id: randomUUID(), username, emailConfirmed: false };
        byId.set(user.id, user);
        byName.set(username, user);
      }
      return { ...user };
    },
    get: (id) => {
      const user = byId.get(id);
      return user === undefined ? null : { ...user };
    },
  };
}

/** The Express targets' error handler: logs, answers 500 (or the error's status) with a JSON body. */
export const expressErrors: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
  console.error('request failed:', error);
  res.status(error.status ?? 500).json({ error: 'internal_error' });
};

/** The username of a login body, or null when it is not a non-empty string. */
export function usernameOf(body: unknown): string | null {
  const username = typeof body === 'object' && body !== null ? (body as { username?: unknown }).username : undefined;
  return typeof username === 'string' && username !== '' ? username : null;
}

/** Serves `listener` on a free loopback port, reports the port to the harness and answers its messages; `close` runs before exiting. */
export async function serve(listener: RequestListener, close: () => Promise<unknown>): Promise<void> {
  const server = createServer(listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const send = (message: ChildMessage): void => void process.send?.(message);
  let exiting = false;
  const exit = async (): Promise<void> => {
    if (exiting) return;
    exiting = true;
    server.closeAllConnections();
    server.close();
    await close().finally(() => process.exit(0));
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') send({ type: 'stats', redisCommandsSent: sent });
    else if (message.type === 'exit') void exit();
  });
  process.on('disconnect', () => void exit());
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
}
