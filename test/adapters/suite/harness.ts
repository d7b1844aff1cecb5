import type { ErrorReport, LogoutOptions, SessionError, SessionOptions, SessionUserAttributes } from '@sessionware/core';
import type { StoreBackend } from '../backend.js';
import { Client, createGate, ObservedStore, type Gate, type HeldGate } from '@sessionware/test-support';
import type { AdapterTarget, SuiteRoute } from '../target.js';

/** Two strong secrets for the suite (never used anywhere else). */
export const SECRET_A = 'suite-secret-A-3f9c1d7e2b8a4c6f0e1d2c3b4a5f6e7d8c9b0a1f';
export const SECRET_B = 'suite-secret-B-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
export const SESSION_COOKIE = 'sw.sid';
export const INDICATOR_COOKIE = 'sw.sid.active';

/** The suite's routes, written once for every adapter (one app's gated route is {@link heldSetRoute}). */
export const routes: SuiteRoute[] = [
  { method: 'GET', path: '/ping', handler: () => ({ json: { ok: true } }) },
  { method: 'GET', path: '/read', handler: ({ session }) => ({ json: { data: { ...session } } }) },
  { method: 'GET', path: '/peek', handler: ({ session }) => ({ json: { user: session['who'] ?? null, counter: session['counter'] ?? null } }) },
  {
    method: 'POST', path: '/set', handler: ({ session, body }) => {
      for (const [key, value] of Object.entries(body)) session[key] = value;
      return { json: { ok: true } };
    },
  },
  {
    method: 'PUT', path: '/data', handler: ({ session, body }) => {
      session[body['key'] as string] = body['value'];
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/set-date', handler: ({ session, body }) => {
      session[body['key'] as string] = new Date(0);
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/unset', handler: ({ session, body }) => {
      for (const key of body['keys'] as string[]) delete session[key];
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/push', handler: ({ session, body }) => {
      if (!Array.isArray(session['list'])) session['list'] = [];
      (session['list'] as unknown[]).push(body['item']);
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/login', handler: ({ session, body }) => {
      session.regenerate();
      session['who'] = body['user'] ?? 'ann';
      return { json: { user: session['who'] } };
    },
  },
  {
    method: 'POST', path: '/login-save-set', handler: async ({ session, body }) => {
      session.regenerate();
      session['who'] = 'ann';
      await session.save();
      session[body['key'] as string] = body['value'];
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/destroy', handler: ({ session }) => {
      session.destroy();
      return { json: { ok: true } };
    },
  },
  {
    method: 'POST', path: '/set-then-redirect', handler: ({ session, body }) => {
      session[body['key'] as string] = body['value'];
      return { redirect: '/read' };
    },
  },
  {
    method: 'POST', path: '/login-user', handler: async ({ session, body }) => {
      const remember = body['remember'] as boolean | { idleTimeout?: number; absoluteTimeout?: number } | undefined;
      return { json: { user: await session.login(body['userId'] as string, remember === undefined ? undefined : { remember }) } };
    },
  },
  {
    method: 'POST', path: '/reauthenticate', handler: ({ session }) => {
      session.reauthenticated();
      return { json: { authenticatedAt: session.authenticatedAt ?? null } };
    },
  },
  {
    method: 'POST', path: '/sensitive', handler: ({ session, body }) => {
      session.requireFresh(body['maxAge'] as number);
      return { json: { ok: true } };
    },
  },
  { method: 'GET', path: '/me', handler: ({ session }) => ({ json: { userId: session.userId ?? null, user: session.user ?? null } }) },
  { method: 'GET', path: '/my-sessions', handler: async ({ session }) => ({ json: { sessions: await session.listSessions() } }) },
  { method: 'POST', path: '/revoke', handler: async ({ session, body }) => ({ json: { revoked: await session.revokeSession(body['handle'] as string) } }) },
  { method: 'POST', path: '/revoke-others', handler: async ({ session }) => ({ json: { count: await session.revokeOtherSessions() } }) },
  {
    method: 'POST', path: '/save-early', handler: async ({ session, body }) => {
      session[body['key'] as string] = body['value'];
      await session.save();
      return { json: { saved: true } };
    },
  },
];

/**
 * `POST /held-set` {gate, key, value}: reads the session, waits at the app's gate named
 * `gate` (see {@link TestApp.hold}), then sets `key`; answers the data it read first. A
 * race with a request in its handler is ordered by that gate, not by a delay.
 */
function heldSetRoute(gates: Map<string, HeldGate>): SuiteRoute {
  return {
    method: 'POST', path: '/held-set', handler: async ({ session, body }) => {
      const before = { ...session };
      const gate = gates.get(body['gate'] as string);
      if (gate === undefined) throw new Error(`no gate ${String(body['gate'])}: call app.hold() first`);
      await gate.pass();
      session[body['key'] as string] = body['value'];
      return { json: { before } };
    },
  };
}

/** One app started for a test, with its instrumented store and what it reported. */
export interface TestApp {
  url: string;
  store: ObservedStore;
  /** How many session records the backing store holds now. */
  sessionCount(): Promise<number>;
  /** What `onError` received. */
  reports: Array<{ error: SessionError; report: ErrorReport }>;
  /** Every line given to the logger. */
  logs: string[];
  /** The app's users as `loadUser` sees them: attributes, `null` (deleted), or an Error to throw. */
  users: Map<string, Record<string, unknown> | null | Error>;
  /** The user ids `loadUser` was called with, in order. */
  loadUserCalls: string[];
  /** A gate named `name` for `POST /held-set`: `reached` once a request waits in its handler, `release()` lets it finish. */
  hold(name: string): Gate;
  client(): Client;
}

/** Options of one test app: session options, plus the logout router's. */
export type TestAppOptions = Partial<SessionOptions> & { logout?: LogoutOptions; sharedStore?: ObservedStore; trustProxy?: boolean };

/** Starts and stops the apps of one describe block. */
export interface Harness {
  readonly target: AdapterTarget;
  readonly backend: StoreBackend;
  start(options?: TestAppOptions): Promise<TestApp>;
}

/** Which backing store an ObservedStore wraps, so a second app sharing it counts the same sessions. */
const sharedStores = new WeakMap<ObservedStore, { count(): Promise<number> }>();

/** Makes a harness whose apps are all closed after each test. */
export function useHarness(target: AdapterTarget, backend: StoreBackend): Harness {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((close) => close()));
  });
  return {
    target,
    backend,
    async start(options = {}) {
      const { logout, sharedStore, trustProxy, ...session } = options;
      const backing = await backend.create();
      const store = sharedStore ?? new ObservedStore(backing.store);
      const owner = sharedStore === undefined ? backing : (sharedStores.get(sharedStore) ?? backing);
      sharedStores.set(store, owner);
      const reports: TestApp['reports'] = [];
      const users: TestApp['users'] = new Map();
      const loadUserCalls: string[] = [];
      const logs: string[] = [];
      const gates = new Map<string, HeldGate>();
      const sink = (...parts: unknown[]) => {
        logs.push(parts.map((part) => (part instanceof Error ? `${part.message} ${String(part.cause)}` : String(part))).join(' '));
      };
      const app = await target.start({
        session: {
          secrets: [SECRET_A],
          store,
          logger: { warn: sink, error: sink },
          onError: (error, report) => {
            reports.push({ error, report });
          },
          loadUser: async (userId: string) => {
            loadUserCalls.push(userId);
            const user = users.get(userId);
            if (user instanceof Error) throw user;
            // Typed loosely: the examples' SessionUser augmentation is global to this program.
            return (user ?? null) as SessionUserAttributes | null;
          },
          ...session,
        },
        ...(logout === undefined ? {} : { logout }),
        ...(trustProxy === undefined ? {} : { trustProxy }),
        routes: [...routes, heldSetRoute(gates)],
      });
      running.push(async () => {
        // A failed test may leave a request at a gate: let it finish so the app can close.
        for (const gate of gates.values()) gate.release();
        await app.close();
        await backing.close();
      });
      const hold = (name: string): Gate => {
        const gate = createGate();
        gates.set(name, gate);
        return gate;
      };
      return { url: app.url, store, sessionCount: () => owner.count(), reports, logs, users, loadUserCalls, hold, client: () => new Client(app.url) };
    },
  };
}

/** Decodes a compact JWS cookie's header and payload, for assertions. */
export function decodeToken(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  };
}
