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
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type Koa from 'koa';
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
export const users = ((byId = new Map<string, BenchUser>(), byName = new Map<string, BenchUser>()) => ({
  findOrCreate(username: string): BenchUser {
    let user = byName.get(username);
    if (user === undefined) {
      user = { id: randomUUID(), username, emailConfirmed: false };
      byId.set(user.id, user);
      byName.set(username, user);
    }
    return { ...user };
  },
  get: (id: string): BenchUser | null => {
    const user = byId.get(id);
    return user === undefined ? null : { ...user };
  },
}))();

/** Increments the session's `counter` key (0 when unset) and answers it. */
export function counterOf(session: { counter?: unknown }): number {
  const previous = session.counter;
  const counter = (typeof previous === 'number' ? previous : 0) + 1;
  session.counter = counter;
  return counter;
}

/** How a target uses its session on the three routes: `login` answers the user, `counter` null when there is no session. */
export interface SessionUse<C> {
  login(ctx: C, user: BenchUser): unknown;
  user(ctx: C): unknown;
  counter(ctx: C): number | null | Promise<number | null>;
}
type Answer = readonly [status: number, body: unknown];
/** `next(value)`, after `value` settles when it is a promise (sync routes stay sync). */
const then = <T, R>(value: T | Promise<T>, next: (value: T) => R): R | Promise<R> => (value instanceof Promise ? value.then(next) : next(value));
const answers = <C>(use: SessionUse<C>) => ({
  login(ctx: C, body: unknown): Answer | Promise<Answer> {
    const username = typeof body === 'object' && body !== null ? (body as { username?: unknown }).username : undefined;
    if (typeof username !== 'string' || username === '') return [400, { error: 'invalid_username' }];
    return then(use.login(ctx, users.findOrCreate(username)), (user): Answer => [200, { user }]);
  },
  whoami: (ctx: C) => then(use.user(ctx), (user): Answer => (user === undefined ? [401, { error: 'not_logged_in' }] : [200, { user }])),
  counter: (ctx: C) => then(use.counter(ctx), (counter): Answer => (counter === null ? [401, { error: 'not_logged_in' }] : [200, { counter }])),
});

/** Serves the three routes on Express 5 after `middleware`, then an error handler that logs and answers 500 (or the error's status). */
export async function serveExpress(use: SessionUse<[Request, Response]>, middleware: RequestHandler[], close: () => Promise<unknown>): Promise<void> {
  const { default: express } = await import('express');
  const routes = answers(use);
  const app = express();
  app.disable('x-powered-by');
  for (const handler of middleware) app.use(handler);
  const send = (res: Response) => ([status, body]: Answer): void => void res.status(status).json(body);
  app.post('/login', express.json(), (req, res) => then(routes.login([req, res], req.body), send(res)));
  app.get('/whoami', (req, res) => then(routes.whoami([req, res]), send(res)));
  app.post('/counter', (req, res) => then(routes.counter([req, res]), send(res)));
  app.use(((error: { status?: number }, _req, res, _next) => {
    console.error('request failed:', error);
    res.status(error.status ?? 500).json({ error: 'internal_error' });
  }) as ErrorRequestHandler);
  await serve(app, close);
}

/** Serves the three routes on Koa (errors logged) after the middleware `session(app)` answers. */
export async function serveKoa(use: SessionUse<Koa.Context>, session: (app: Koa) => Koa.Middleware, close: () => Promise<unknown>): Promise<void> {
  const [{ default: Koa }, { default: Router }, { bodyParser }] = await Promise.all([import('koa'), import('@koa/router'), import('@koa/bodyparser')]);
  const routes = answers(use);
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: unknown) => console.error('request failed:', error));
  app.use(session(app));
  const send = (ctx: Koa.Context) => ([status, body]: Answer): void => {
    ctx.status = status;
    ctx.body = body;
  };
  const router = new Router();
  router.post('/login', bodyParser(), (ctx) => then(routes.login(ctx, ctx.request.body), send(ctx)));
  router.get('/whoami', (ctx) => then(routes.whoami(ctx), send(ctx)));
  router.post('/counter', (ctx) => then(routes.counter(ctx), send(ctx)));
  app.use(router.routes());
  await serve(app.callback(), close);
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
