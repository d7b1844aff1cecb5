/**
 * Migration readers (issue 16): an opt-in `migrateFrom` option reads the cookie and the record
 * of the session library an app is leaving, so that its users stay logged in across the
 * switch. Each reader verifies the old cookie's signature itself (an old cookie that does not
 * verify is never accepted) and talks to the old library's own store object.
 */
import { RESERVED_SESSION_KEYS } from './session.js';
import { expressSecrets, expressSessionExpired, expressSessionId } from './internal/legacy/express-session.js';
import { checkAlgorithm, koaKeys, koaSessionExpired, koaSessionValue } from './internal/legacy/koa-session.js';
import { checkMethods, optionalFunction, stringOption } from './internal/legacy/verify.js';

/** An old session's data, as the old store answers it (parsed JSON). */
export type LegacySessionData = Record<string, unknown>;

/**
 * What `migrateFrom` takes: made by {@link fromExpressSession} or {@link fromKoaSession}; a
 * reader of another library implements the same shape. Every store call it makes is bounded
 * by the engine's `storeTimeout`.
 */
export interface LegacySessionReader {
  /** The old library's name (`express-session`, `koa-session`): part of the new id's derivation, and of error messages. */
  readonly library: string;
  /** The old cookies' names: the first one's presence starts a migration; all are cleared. */
  readonly cookieNames: readonly string[];
  /** The Path the old cookies were set with, so the clearing Set-Cookie matches them. */
  readonly cookiePath: string;
  /** The Domain the old cookies were set with, if any. */
  readonly cookieDomain: string | undefined;
  /** Whether {@link userIdOf} may name a user: then the engine requires `loadUser` at startup. */
  readonly mapsUsers: boolean;
  /** The old session id when the old cookie's signature verifies; undefined otherwise. Synchronous; never throws. */
  sessionIdOf(cookies: Readonly<Record<string, string | undefined>>): string | undefined;
  /** The old record's data, or `null` when it is missing or expired. */
  read(sessionId: string): Promise<LegacySessionData | null>;
  /** Deletes the old record; a missing one is not an error. */
  destroy(sessionId: string): Promise<void>;
  /** The user the old session belongs to, or undefined for an anonymous one. */
  userIdOf(data: LegacySessionData): string | undefined;
  /** The data the new session starts with: JSON values only (SPEC O2), no reserved names. */
  dataOf(data: LegacySessionData): LegacySessionData;
}

/** Common options of the readers: the user and data mappings, and where the old cookie lived. */
export interface LegacyMappingOptions {
  /**
   * The user of an old session, e.g. passport's `(data) => data.passport?.user` or
   * `(data) => data.userId`; answer a string for a logged-in session. The new session then
   * belongs to that user, with attributes from `loadUser` (required), as after `login()`.
   * @default () => undefined (every migrated session is anonymous)
   */
  userIdOf?: (data: LegacySessionData) => unknown;
  /**
   * The data the new session starts with. Names reserved by sessionware (`userId`, `user`, …,
   * `RESERVED_SESSION_KEYS`) are dropped from what it answers.
   * @default every key of the old data but the old library's own (`cookie`; koa-session's `_`-prefixed keys)
   */
  dataOf?: (data: LegacySessionData) => LegacySessionData;
  /** The Path the old cookie was set with. @default '/' */
  path?: string;
  /** The Domain the old cookie was set with. @default undefined (host-only) */
  domain?: string;
}

/** The part of an express-session `Store` the reader uses (connect-redis 9's `RedisStore` has it). */
export interface ExpressSessionStoreLike {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): unknown;
  destroy(sid: string, callback: (error?: unknown) => void): unknown;
}

/** Options of {@link fromExpressSession}. */
export interface ExpressSessionReaderOptions extends LegacyMappingOptions {
  /** express-session's `secret`: one string or a list; any of them verifies the old cookie. Required. */
  secret: string | readonly string[];
  /** express-session's cookie `name`. @default 'connect.sid' */
  name?: string;
  /** express-session's store object (e.g. connect-redis's `new RedisStore({ client, prefix })`). Required. */
  store: ExpressSessionStoreLike;
}

/** The part of a koa-session external store the reader uses (koa-session's `store` option). */
export interface KoaSessionStoreLike {
  get(key: string, maxAge: number | 'session' | undefined, options: { rolling: boolean }): unknown;
  destroy(key: string, options: Record<string, never>): unknown;
}

/** Options of {@link fromKoaSession}. */
export interface KoaSessionReaderOptions extends LegacyMappingOptions {
  /** The app's `app.keys`: any of them verifies the `<key>.sig` cookie. Required. */
  keys: readonly string[];
  /** koa-session's cookie name (`key`). @default 'koa.sess' */
  key?: string;
  /** koa-session's external `store` (the cookie holds its key). Required: data kept in the cookie itself is not read. */
  store: KoaSessionStoreLike;
  /** keygrip's HMAC algorithm (`new Keygrip(keys, algorithm)`). @default 'sha1' */
  algorithm?: string;
}

/** A callback-style store call as a promise; a throw or a rejected returned promise rejects it too. */
function viaCallback<T>(run: (callback: (error: unknown, value?: T) => void) => unknown): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const returned = run((error, value) => (error === null || error === undefined ? resolve(value) : reject(error)));
    if (returned instanceof Promise) returned.catch(reject);
  });
}

function asData(value: unknown): LegacySessionData | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LegacySessionData) : null;
}

function without(data: LegacySessionData, drop: (key: string) => boolean): LegacySessionData {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !drop(key)));
}

type ReaderMapping = Pick<LegacySessionReader, 'cookiePath' | 'cookieDomain' | 'mapsUsers' | 'userIdOf' | 'dataOf'>;

/**
 * What both readers take alike from their options: the old cookies' Path and Domain, and the
 * mapping of old data. `userIdOf` counts only a non-empty string; `dataOf` (by default every
 * key but the old library's own, `ownKey`) never hands over a name sessionware reserves.
 */
function mappingOf(options: LegacyMappingOptions, ownKey: (key: string) => boolean): ReaderMapping {
  const userIdOf = optionalFunction('migrateFrom.userIdOf', options.userIdOf);
  const dataOf = optionalFunction('migrateFrom.dataOf', options.dataOf) ?? ((data) => without(data, ownKey));
  return {
    cookiePath: stringOption('migrateFrom.path', options.path, '/'),
    cookieDomain: options.domain === undefined ? undefined : stringOption('migrateFrom.domain', options.domain, ''),
    mapsUsers: userIdOf !== undefined,
    userIdOf: (data) => {
      const userId = userIdOf?.(data);
      return typeof userId === 'string' && userId !== '' ? userId : undefined;
    },
    dataOf: (data) => without(asData(dataOf(data)) ?? {}, (key) => RESERVED_SESSION_KEYS.has(key)),
  };
}

const EXPRESS_NAMES = ['secret', 'name', 'store', 'userIdOf', 'dataOf', 'path', 'domain'];
const KOA_NAMES = ['keys', 'key', 'store', 'algorithm', 'userIdOf', 'dataOf', 'path', 'domain'];

/**
 * A reader of express-session cookies (`s:` + cookie-signature) and their records in the old
 * express-session store, for `migrateFrom`. Throws `SessionConfigError` naming the option on a
 * bad one.
 */
export function fromExpressSession(options: ExpressSessionReaderOptions): LegacySessionReader {
  const secrets = expressSecrets(options, EXPRESS_NAMES);
  checkMethods('migrateFrom.store', options.store, ['get', 'destroy']);
  const { store } = options;
  const name = stringOption('migrateFrom.name', options.name, 'connect.sid');
  const reader: LegacySessionReader = {
    library: 'express-session',
    cookieNames: Object.freeze([name]),
    ...mappingOf(options, (key) => key === 'cookie'),
    sessionIdOf: (cookies) => expressSessionId(cookies[name], secrets),
    async read(sid) {
      const data = asData(await viaCallback((callback) => store.get(sid, callback)));
      return data === null || expressSessionExpired(data, Date.now()) ? null : data;
    },
    async destroy(sid) {
      await viaCallback((callback) => store.destroy(sid, callback));
    },
  };
  return Object.freeze(reader);
}

/**
 * A reader of koa-session cookies (`koa.sess` signed by `koa.sess.sig`, keygrip) whose data
 * lives in an external store, for `migrateFrom`. Throws `SessionConfigError` naming the option
 * on a bad one.
 */
export function fromKoaSession(options: KoaSessionReaderOptions): LegacySessionReader {
  const keys = koaKeys(options, KOA_NAMES);
  checkMethods('migrateFrom.store', options.store, ['get', 'destroy']);
  const { store } = options;
  const name = stringOption('migrateFrom.key', options.key, 'koa.sess');
  const algorithm = checkAlgorithm(stringOption('migrateFrom.algorithm', options.algorithm, 'sha1'));
  const reader: LegacySessionReader = {
    library: 'koa-session',
    cookieNames: Object.freeze([name, `${name}.sig`]),
    ...mappingOf(options, (key) => key.startsWith('_')),
    sessionIdOf: (cookies) => koaSessionValue(cookies[name], cookies[`${name}.sig`], name, keys, algorithm),
    async read(key) {
      const data = asData(await store.get(key, undefined, { rolling: false }));
      return data === null || koaSessionExpired(data, Date.now()) ? null : data;
    },
    async destroy(key) {
      await store.destroy(key, {});
    },
  };
  return Object.freeze(reader);
}
