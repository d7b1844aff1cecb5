/**
 * The app factory of the Express ecosystem matrix (SPEC R3): one Express app per test, built
 * on Express 5 or Express 4, with a store from a backend (MemoryStore or a real Redis), the
 * routes every test reads the outcome through (`GET /ping`, `GET /read/:key`), and an error
 * handler that answers a `SessionError` with its status and code. (The Redis suites' one
 * fixed-route app over a given store is test/redis-express/login-app.ts.)
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import express, { type ErrorRequestHandler, type Express, type Request, type Router } from 'express';
import { logoutRouter, session, SessionError, type LogoutRouterOptions, type Session, type SessionMiddleware, type SessionOptions } from '@sessionware/express';
import type { Store } from '@sessionware/core';
import { Client, listen } from '@sessionware/test-support';
import type { StoreBackend } from '../../adapters/backend.js';
import { memoryBackend } from '../../adapters/backend.js';
import { redisBackend } from '../../adapters/redis-backend.js';
import { rawRequest, SECRET, within, type RawReply, type RawRequestOptions } from '../support.js';

/** The express module's type; Express 4 (the `express4` alias) is used through it. */
export type ExpressModule = typeof express;

const require = createRequire(import.meta.url);
const express4 = require('express4') as ExpressModule;
const express4Version = (require('express4/package.json') as { version: string }).version;
if (!express4Version.startsWith('4.')) throw new Error(`express4 is ${express4Version}, not Express 4`);

/** Both Express majors the matrix runs on (SPEC R3: Express 4.21+ and Express 5). */
export const EXPRESS_VERSIONS: ReadonlyArray<readonly [string, ExpressModule]> = [
  ['Express 5', express],
  [`Express ${express4Version}`, express4],
];

/** Both stores, for the cases where the store matters. */
export const STORE_BACKENDS: readonly StoreBackend[] = [memoryBackend, redisBackend];

/** The middleware of the new adapter: the logout router is created from it (SPEC L6). */
type SessionsWithRouter = SessionMiddleware & { logoutRouter?: (options?: LogoutRouterOptions) => Router };

/** The logout router `sessions.logoutRouter()` of the new API; a clear error where it does not exist yet. */
export function routerOf(sessions: SessionMiddleware, options?: LogoutRouterOptions): Router {
  const create = (sessions as SessionsWithRouter).logoutRouter;
  if (typeof create !== 'function') throw new Error('session() has no logoutRouter() method (SPEC L6: a logout router created from the middleware)');
  return create.call(sessions, options);
}

/** How one test app is put together. */
export interface AppSetup {
  /** No `session()` at all (a plain app, for comparisons): `false`. Else options added to `{ secrets, store }`. */
  session?: Partial<SessionOptions> | false;
  /** Wraps the backend's store (e.g. in an `ObservedStore` with a gate). */
  wrapStore?: (store: Store) => Store;
  /** Runs first: app settings such as `trust proxy`. */
  configure?: (app: Express) => void;
  /** Middleware mounted before `session()` (which is created already, so it can be mounted here too). */
  before?: (app: Express, sessions: SessionMiddleware | undefined) => void;
  /**
   * The logout router at `/auth`, after `session()`: `'middleware'` is `sessions.logoutRouter()`,
   * `'standalone'` is `logoutRouter()`, `'none'` mounts none.
   * @default 'standalone'
   */
  logout?: 'middleware' | 'standalone' | 'none';
  /** Routes and middleware after `session()` (and the logout router). */
  routes?: (app: Express, sessions: SessionMiddleware | undefined) => void;
}

/** A running test app. */
export interface StartedApp {
  url: string;
  client: Client;
  /** The middleware `session()` returned, or undefined for a plain app. */
  sessions: SessionMiddleware | undefined;
  /** The store the app uses (after `wrapStore`). */
  store: Store | undefined;
  /** Every error that reached the app's error handler, in order. */
  errors: unknown[];
  /** A request with the undecoded body, sending and updating the client's jar. */
  raw(path: string, options?: RawRequestOptions): Promise<RawReply>;
}

/** The session of a request, or undefined on an app without `session()`. */
export function sessionOf(req: Request): Session | undefined {
  return (req as { session?: Session }).session;
}

/** Writes one session key when the app has sessions (the same handler then runs on a plain app too). */
export function mark(req: Request, key: string, value: unknown): void {
  const current = sessionOf(req);
  if (current !== undefined) current[key] = value;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
}

function codeOf(error: unknown): string {
  if (error instanceof SessionError) return error.code;
  const { code, type, message } = (error ?? {}) as { code?: unknown; type?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  if (typeof type === 'string') return type;
  return typeof message === 'string' ? message : 'internal_error';
}

/**
 * Test apps for one Express module and one store backend: call inside a `describe` (it adds
 * the backend's hooks, and closes every app and store after each test).
 */
export function appsFor(x: ExpressModule, backend: StoreBackend = memoryBackend): { start(setup?: AppSetup): Promise<StartedApp> } {
  const closers: Array<() => Promise<void>> = [];
  backend.hooks?.();
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return {
    async start(setup: AppSetup = {}) {
      const app = x();
      setup.configure?.(app);
      const errors: unknown[] = [];
      app.get('/ping', (_req, res) => {
        res.status(200).type('text/plain').send('pong');
      });
      let sessions: SessionMiddleware | undefined;
      let store: Store | undefined;
      if (setup.session !== false) {
        const backendStore = await backend.create();
        closers.push(() => backendStore.close());
        store = setup.wrapStore === undefined ? backendStore.store : setup.wrapStore(backendStore.store);
        sessions = session({ secrets: SECRET, store, ...setup.session });
      }
      setup.before?.(app, sessions);
      if (sessions !== undefined) {
        app.use(sessions);
        const logout = setup.logout ?? 'standalone';
        if (logout === 'middleware') app.use('/auth', routerOf(sessions));
        if (logout === 'standalone') app.use('/auth', logoutRouter());
      }
      setup.routes?.(app, sessions);
      app.get('/read/:key', (req, res) => {
        const key = String(req.params['key']);
        res.json({ value: sessionOf(req)?.[key] ?? null });
      });
      app.post('/write/:key/:value', (req, res) => {
        mark(req, String(req.params['key']), String(req.params['value']));
        res.json({ ok: true });
      });
      const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
        errors.push(error);
        if (res.headersSent) {
          next(error);
          return;
        }
        res.status(statusOf(error)).json({ error: codeOf(error) });
      };
      app.use(onError);
      const server = await listen(createServer(app));
      closers.push(server.close);
      const client = new Client(server.url);
      return {
        url: server.url,
        client,
        sessions,
        store,
        errors,
        raw: (path, options) => rawRequest(server.url, path, options, client),
      };
    },
  };
}

/** What `GET /read/:key` answers for this client now. */
export async function readKey(target: StartedApp, key: string, cookieHeader?: string): Promise<unknown> {
  const reply = await within(
    target.client.get(`/read/${key}`, cookieHeader === undefined ? {} : { cookieHeader }),
    `GET /read/${key}`,
  );
  if (reply.status !== 200) throw new Error(`GET /read/${key} answered ${reply.status}: ${reply.body}`);
  return (reply.json as { value: unknown }).value;
}

/** Asserts the server still answers (SPEC R1: no handler mistake crashes it). */
export async function expectAlive(target: StartedApp): Promise<void> {
  const reply = await within(target.client.get('/ping', { cookieHeader: '' }), 'GET /ping after the case');
  if (reply.status !== 200 || reply.body !== 'pong') throw new Error(`GET /ping answered ${reply.status}: ${reply.body}`);
}
