import { SessionDataError } from '../errors.js';
import { RESERVED_SESSION_KEYS, type Session, type SessionMethods } from '../session.js';
import { checkJsonValue, notJson } from './json-value.js';
import type { SessionDataTracker } from './session-data.js';

/** What the proxy asks of the request's state machine. */
export interface SessionControls {
  /** Throws when the session could not be opened (store failure F1, `loadUser` failure F4). */
  throwIfOpenFailed(): void;
  /** Throws once the response has started (or the session ended): later changes could not be stored. Otherwise the response is held for the commit. */
  throwIfSealed(): void;
  /** A value that may be changed in place was handed out: the response is held for the commit if it can still be. */
  mayChange(): boolean;
  /** A method or read-only property of the session object (names in RESERVED_SESSION_KEYS). */
  member(key: keyof SessionMethods): unknown;
}

/**
 * The one key under which a session proxy answers its controls (the request's state
 * machine): how the logout handlers find the request's session from `req.session` alone.
 * Module-private, so no other code can ask for it; see {@link controlsOf}.
 */
const CONTROLS = Symbol('sessionware.controls');

function reserved(key: string): never {
  throw new SessionDataError(`session key ${JSON.stringify(key)} is reserved`);
}

type Values = Record<string, unknown>;

/** The traps, as methods of one handler object per session, not a closure per trap: see docs/perf-notes.md#proxy-traps. */
class SessionProxyHandler implements ProxyHandler<Values> {
  readonly #data: SessionDataTracker;
  readonly #controls: SessionControls;

  constructor(data: SessionDataTracker, controls: SessionControls) {
    this.#data = data;
    this.#controls = controls;
  }

  get(target: Values, key: string | symbol): unknown {
    if (typeof key === 'symbol') return key === CONTROLS ? this.#controls : undefined;
    if (RESERVED_SESSION_KEYS.has(key) && key !== '__proto__') return this.#controls.member(key as keyof SessionMethods);
    this.#controls.throwIfOpenFailed();
    const value = target[key];
    if (typeof value === 'object' && value !== null) {
      this.#data.touch(key);
      this.#controls.mayChange();
    }
    return value;
  }

  set(target: Values, key: string | symbol, value: unknown): boolean {
    if (typeof key === 'symbol') return false;
    if (RESERVED_SESSION_KEYS.has(key)) reserved(key);
    this.#controls.throwIfOpenFailed();
    this.#controls.throwIfSealed();
    // Refused here, where the mistake is, rather than at the commit (SPEC O2); undefined deletes the key.
    if (value !== undefined) checkJsonValue(key, value);
    target[key] = value;
    this.#data.touch(key);
    return true;
  }

  deleteProperty(target: Values, key: string | symbol): boolean {
    if (typeof key === 'symbol') return false;
    this.#controls.throwIfOpenFailed();
    this.#controls.throwIfSealed();
    delete target[key];
    this.#data.touch(key);
    return true;
  }

  has(target: Values, key: string | symbol): boolean {
    if (typeof key === 'symbol') return false;
    this.#controls.throwIfOpenFailed();
    return key in target;
  }

  ownKeys(target: Values): ArrayLike<string | symbol> {
    this.#controls.throwIfOpenFailed();
    return Reflect.ownKeys(target);
  }

  getOwnPropertyDescriptor(target: Values, key: string | symbol): PropertyDescriptor | undefined {
    if (typeof key === 'string') {
      this.#controls.throwIfOpenFailed();
      this.#data.touch(key);
      this.#controls.mayChange();
    }
    return Reflect.getOwnPropertyDescriptor(target, key);
  }

  defineProperty(target: Values, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    if (typeof key === 'symbol') return false;
    if (RESERVED_SESSION_KEYS.has(key)) reserved(key);
    this.#controls.throwIfOpenFailed();
    this.#controls.throwIfSealed();
    if (descriptor.get !== undefined || descriptor.set !== undefined) {
      throw notJson(key, [], 'is a getter or setter');
    }
    if (descriptor.value !== undefined) checkJsonValue(key, descriptor.value);
    this.#data.touch(key);
    return Reflect.defineProperty(target, key, descriptor);
  }
}

/**
 * The object handlers see as `req.session` / `ctx.session`: data keys as plain properties,
 * plus the reserved members. Every set or delete, and every object handed out (which may be
 * changed in place), marks its key for comparison at commit (SPEC T4). Any use of the data
 * after a failed open throws that error, which the framework answers (503 for the store).
 */
export function createSessionProxy(data: SessionDataTracker, controls: SessionControls): Session {
  return new Proxy(data.values, new SessionProxyHandler(data, controls)) as Session;
}

/** The controls of a session made by {@link createSessionProxy}; undefined for any other value. */
export function controlsOf(session: unknown): SessionControls | undefined {
  if (typeof session !== 'object' || session === null) return undefined;
  return (session as { [CONTROLS]?: SessionControls })[CONTROLS];
}
