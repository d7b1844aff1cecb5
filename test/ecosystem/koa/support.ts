/**
 * Small helpers of the Koa ecosystem matrix (SPEC R3): one Koa app per test on a real HTTP
 * server, the session store of one backend (MemoryStore or a real Redis), a raw HTTP client
 * that sees the bytes as sent (gzip included) and reads a streamed body as it arrives, and
 * gates so that streams advance on the test's signal, never on a sleep.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createGunzip } from 'node:zlib';
import Router from '@koa/router';
import { expect } from 'chai';
import Koa, { type Middleware } from 'koa';
import { SessionError, type LogoutRouterOptions, type SessionMiddleware, type SessionOptions } from '@sessionware/koa';
import { memoryBackend, type BackendStore, type StoreBackend } from '../../adapters/backend.js';
import { redisBackend } from '../../adapters/redis-backend.js';
import { Client, isClearing, listen, ObservedStore, parseSetCookie, type SetCookie } from '@sessionware/test-support';

/** The matrix's signing secret (used nowhere else). */
export const SECRET = 'ecosystem-koa-matrix-secret-5b1e9d3c7a2f4e6b8d0c1a3e5f7b9d2c';
export const SESSION_COOKIE = 'sw.sid';
export const INDICATOR_COOKIE = 'sw.sid.active';
/** How long any one request may take before the test calls it hung (R4: no form leaves a request hanging). */
export const HUNG_MS = 5_000;

/** Both stores of the matrix. */
export const backends: readonly StoreBackend[] = [memoryBackend, redisBackend];

/** Rejects when `promise` has not settled within `ms`: a hung request fails the test by name. */
export async function bounded<T>(promise: Promise<T>, what: string, ms = HUNG_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hung)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A one-shot signal the test opens; server code waits on it to send the rest of a stream. */
export class Gate {
  open!: () => void;
  readonly opened = new Promise<void>((resolve) => {
    this.open = resolve;
  });
}

/** Gates by name, created on first use by whichever side asks first. */
export class Gates {
  readonly #gates = new Map<string, Gate>();
  get(name: string): Gate {
    let gate = this.#gates.get(name);
    if (gate === undefined) this.#gates.set(name, (gate = new Gate()));
    return gate;
  }
}

/** What `router.routes()` returns, for `app.use`. */
export type Routes = ReturnType<Router['routes']>;

/** The status a thrown error asks for: a SessionError's, an http-errors one's, else 500. */
function statusOf(error: unknown): number {
  if (error instanceof SessionError) return error.status;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * The app's error handler, as in the example app: any error becomes JSON with its status,
 * a SessionError's `code` (else `http_error` / `internal_error`) and its message.
 */
export const errorsAsJson: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    const status = statusOf(error);
    ctx.status = status;
    ctx.body = {
      error: error instanceof SessionError ? error.code : status < 500 ? 'http_error' : 'internal_error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
};

/** A Koa app under test and what Koa reported out of band ('error' events). */
export interface TestApp {
  app: Koa;
  /** Errors Koa reported out of band: past the app's handler, or after the response started. */
  errors: unknown[];
}

/**
 * A silent Koa app answering `GET /ping` before any other middleware (the "server still up"
 * probe), then, unless `errorHandler` is false, {@link errorsAsJson}.
 */
export function koaApp(options: { errorHandler?: boolean; proxy?: boolean } = {}): TestApp {
  const app = new Koa();
  app.silent = true;
  if (options.proxy !== undefined) app.proxy = options.proxy;
  const errors: unknown[] = [];
  const handled = options.errorHandler !== false;
  // With the app's handler, any error reaching Koa got past it; with Koa's own, only one
  // after the response started (Koa marks it headerSent) is out of band.
  app.on('error', (error: unknown) => {
    if (handled || (error as { headerSent?: unknown }).headerSent === true) errors.push(error);
  });
  app.use(async (ctx, next) => {
    if (ctx.path === '/ping') ctx.body = 'pong';
    else await next();
  });
  if (options.errorHandler !== false) app.use(errorsAsJson);
  return { app, errors };
}

/**
 * Routes to read and write the session without a body parser: `GET /data` answers the
 * session's data, `POST /set/:key/:value` sets one string key.
 */
export function dataRoutes(): Routes {
  const router = new Router();
  router.get('/data', (ctx) => {
    ctx.body = { data: { ...ctx.session } };
  });
  router.post('/set/:key/:value', (ctx) => {
    ctx.session[ctx.params['key'] ?? 'key'] = ctx.params['value'];
    ctx.body = { ok: true };
  });
  return router.routes();
}

/** The middleware's own logout router (`sessions.logoutRouter(...)`), which today's code may not have yet. */
export function logoutRouterOf(sessions: SessionMiddleware, options: LogoutRouterOptions = { prefix: '/auth' }): Routes {
  const create = (sessions as SessionMiddleware & { logoutRouter?: (options: LogoutRouterOptions) => Router }).logoutRouter;
  if (typeof create !== 'function') throw new Error('session() returned no logoutRouter(): the router created from the middleware is missing');
  return create.call(sessions, options).routes();
}

/** One running app. */
export interface Running {
  url: string;
  /** What Koa emitted as 'error' events. */
  errors: unknown[];
  /** A new client with an empty cookie jar. */
  client(): Client;
}

/** What a test of one backend uses; everything it starts is stopped after the test. */
export interface Harness {
  readonly backend: StoreBackend;
  /**
   * A fresh store of the backend, observed, with commits (create, update, replace, destroy)
   * slowed a little so that anything racing the commit would lose (T7).
   */
  store(): Promise<ObservedStore>;
  /** session() options: the secret and a fresh store, plus `extra`. */
  options(extra?: SessionOptions): Promise<SessionOptions>;
  /** How many session records the store of the last {@link options} call holds. */
  count(): Promise<number>;
  start(test: TestApp): Promise<Running>;
}

/** Registers the backend's hooks and an afterEach that stops what the test started. */
export function useHarness(backend: StoreBackend): Harness {
  backend.hooks?.();
  const cleanups: Array<() => Promise<void>> = [];
  let last: BackendStore | undefined;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    last = undefined;
  });
  const harness: Harness = {
    backend,
    async store() {
      const created = await backend.create();
      last = created;
      cleanups.push(() => created.close());
      const store = new ObservedStore(created.store);
      Object.assign(store.delays, { create: 15, update: 15, replace: 15, destroy: 15 });
      return store;
    },
    async options(extra = {}) {
      return { secrets: SECRET, store: await harness.store(), ...extra };
    },
    async count() {
      if (last === undefined) throw new Error('no store created in this test');
      return last.count();
    },
    async start(test) {
      const running = await listen(createServer(test.app.callback()));
      cleanups.push(() => running.close());
      return { url: running.url, errors: test.errors, client: () => new Client(running.url) };
    },
  };
  return harness;
}

/** One `describe` per backend, each with its own harness. */
export function describeOnBackends(title: string, body: (harness: Harness) => void): void {
  for (const backend of backends) {
    describe(`${title} — ${backend.name}`, () => body(useHarness(backend)));
  }
}

/**
 * Expects `GET /ping` to answer 200 (the process and its server are still up) and Koa to
 * have emitted no error out of band (R1: every failure answers through the error path).
 */
export async function expectAlive(running: Running): Promise<void> {
  const reply = await bounded(running.client().get('/ping'), 'GET /ping');
  expect(reply.status, 'GET /ping after the test').to.equal(200);
  expect(running.errors.map(String), 'errors Koa emitted out of band').to.deep.equal([]);
}

/** Expects both cookies cleared (Max-Age=0) on a response. */
export function expectCleared(setCookies: readonly SetCookie[]): void {
  for (const name of [SESSION_COOKIE, INDICATOR_COOKIE]) {
    const cookie = setCookies.find((c) => c.name === name);
    expect(cookie, `Set-Cookie clearing ${name}`).to.not.equal(undefined);
    expect(isClearing(cookie as SetCookie), `${name} cleared with Max-Age=0`).to.equal(true);
  }
}

/** A response read with node:http: headers as sent, the body decoded (gunzip) as it arrives. */
export interface StreamedReply {
  status: number;
  headers: IncomingHttpHeaders;
  setCookies: SetCookie[];
  cookie(name: string): SetCookie | undefined;
  /** The decoded body received so far. */
  text(): string;
  /** Resolves once the decoded body contains `part`; rejects when the body ends without it. */
  until(part: string): Promise<void>;
  /** The whole decoded body, once it ended. */
  done: Promise<string>;
}

/** Options of {@link openRequest}. */
export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one request and resolves when the response headers arrive; the body keeps streaming. */
export function openRequest(url: string, path: string, options: RawRequest = {}): Promise<StreamedReply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, url), { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const gzip = res.headers['content-encoding'] === 'gzip';
      const decoded = gzip ? res.pipe(createGunzip()) : res;
      decoded.setEncoding('utf8');
      let text = '';
      let ended = false;
      const waiters: Array<{ part: string; resolve: () => void; reject: (error: Error) => void }> = [];
      const check = (): void => {
        for (const waiter of waiters.splice(0)) {
          if (text.includes(waiter.part)) waiter.resolve();
          else if (ended) waiter.reject(new Error(`the body ended without ${JSON.stringify(waiter.part)}: ${JSON.stringify(text.slice(0, 200))}`));
          else waiters.push(waiter);
        }
      };
      const done = new Promise<string>((resolveDone, rejectDone) => {
        decoded.on('data', (chunk: string) => {
          text += chunk;
          check();
        });
        decoded.on('end', () => {
          ended = true;
          check();
          resolveDone(text);
        });
        decoded.on('error', rejectDone);
        res.on('error', rejectDone);
      });
      done.catch(() => undefined);
      const raw = res.headers['set-cookie'] ?? [];
      const setCookies = raw.map(parseSetCookie);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        setCookies,
        cookie: (name) => setCookies.find((c) => c.name === name),
        text: () => text,
        until: (part) => new Promise<void>((resolveWait, rejectWait) => {
          waiters.push({ part, resolve: resolveWait, reject: rejectWait });
          check();
        }),
        done,
      });
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export { absorbCookies as absorb } from '../support.js';

/** A client holding only the given session cookie value (a second device, or a replay). */
export function clientWithCookie(running: Running, value: string): Client {
  const client = running.client();
  client.jar.set(SESSION_COOKIE, value);
  return client;
}

/** The session data another client holding `value` sees: `GET /data`. */
export async function dataSeenWith(running: Running, value: string): Promise<unknown> {
  const reply = await bounded(clientWithCookie(running, value).get('/data'), 'GET /data');
  expect(reply.status, 'GET /data').to.equal(200);
  return (reply.json as { data: unknown }).data;
}
