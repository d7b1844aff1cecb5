import { randomBytes } from 'node:crypto';
import { generateHandle, generateSessionId } from '../../src/internal/id.js';
import { openSession } from '../../src/internal/lifecycle/open.js';
import { RequestState, type CookieAction, type OpenRequest } from '../../src/internal/lifecycle/state.js';
import { RequestSessionState } from '../../src/internal/request-session.js';
import { createSigner, type Signer } from '../../src/internal/signer.js';
import { resolveOptions, type ResolvedOptions, type SessionOptions } from '../../src/options.js';
import { ScriptedStore } from './scripted-store.js';
import { parseSetCookie } from './set-cookie.js';

/** A valid production secret (≥ 32 bytes), one per test process. */
export const SECRET = randomBytes(48).toString('base64url');

/** Options, signer and store of one test: the engine's parts, without the engine. */
export interface Fixture {
  readonly options: ResolvedOptions;
  readonly signer: Signer;
  readonly store: ScriptedStore;
}

/** Resolved options on a fresh {@link ScriptedStore}, with `env: {}` (production rules) and {@link SECRET}. */
export function fixture(overrides: Omit<SessionOptions, 'store' | 'env'> = {}, store: ScriptedStore = new ScriptedStore()): Fixture {
  const options = resolveOptions({ secrets: [SECRET], ...overrides, env: {}, store });
  return { options, signer: createSigner(options.secrets, options.verifyCacheSize), store };
}

/** An adapter's request, reduced to what the lifecycle reads; it records every `setCookies` call. */
export class FakeRequest implements OpenRequest {
  readonly written: string[][] = [];
  secure = false;
  readonly cookiesAtOpen: boolean;
  readonly userAgent: string | undefined;

  constructor(
    public cookieHeader: string | undefined = undefined,
    settings: { cookiesAtOpen?: boolean; userAgent?: string } = {},
  ) {
    this.cookiesAtOpen = settings.cookiesAtOpen ?? false;
    this.userAgent = settings.userAgent;
  }

  setCookies(values: string[]): void {
    this.written.push(values);
  }

  /** What each `setCookies` call did: `clear` when every cookie has Max-Age=0, else `issue`. */
  actions(): CookieAction[] {
    return this.written.map((values) => (values.every((value) => parseSetCookie(value).attributes.get('max-age') === '0') ? 'clear' : 'issue'));
  }

  /** The session cookie's value in the last `setCookies` call. */
  lastToken(name = 'sw.sid'): string | undefined {
    const last = this.written.at(-1) ?? [];
    return last.map(parseSetCookie).find((cookie) => cookie.name === name)?.value;
  }
}

/** A request's state before its open. */
export function newState(fx: Fixture, request: OpenRequest = new FakeRequest()): RequestState {
  return new RequestState(fx.options, fx.signer, request);
}

/** A record as the engine would have created it, with `data` as JSON texts. */
export async function seedSession(fx: Fixture, data: Record<string, unknown> = {}, user?: { id: string; attributes?: object }): Promise<string> {
  const now = Date.now();
  const id = generateSessionId(user?.id);
  const texts = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)]));
  const record = { data: texts, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000, absoluteExpiresAt: now + 120_000 };
  const owner = user === undefined ? {} : { user: { id: user.id, version: 0, attributes: JSON.stringify(user.attributes ?? {}) }, handle: generateHandle() };
  await fx.store.seed(id, { ...record, ...owner });
  return id;
}

/** The Cookie header a browser holding session `id` sends (with the indicator unless told otherwise). */
export async function cookieHeaderOf(fx: Fixture, id: string, settings: { indicator?: boolean; signer?: Signer } = {}): Promise<string> {
  const token = await (settings.signer ?? fx.signer).sign(id);
  return settings.indicator === false ? `sw.sid=${token}` : `sw.sid=${token}; sw.sid.active=1`;
}

/** A state opened with the cookie of `id` (none when undefined); the store's calls of the open are forgotten. */
export async function openedState(fx: Fixture, id?: string, request = new FakeRequest()): Promise<RequestState> {
  if (id !== undefined) request.cookieHeader = await cookieHeaderOf(fx, id);
  const state = newState(fx, request);
  await openSession(state);
  fx.store.calls.length = 0;
  return state;
}

/** The facade, loaded with the cookie of `id` (none when undefined); the store's calls of the open are forgotten. */
export async function openedSession(fx: Fixture, id?: string, request = new FakeRequest()): Promise<RequestSessionState> {
  if (id !== undefined) request.cookieHeader = await cookieHeaderOf(fx, id);
  const session = await new RequestSessionState(fx.options, fx.signer, request).load();
  fx.store.calls.length = 0;
  return session;
}
