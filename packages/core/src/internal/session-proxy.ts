import { SessionDataError } from '../errors.js';
import { RESERVED_SESSION_KEYS, type Session, type SessionMethods } from '../session.js';
import type { SessionDataTracker } from './session-data.js';

/** What the proxy asks of the request's state machine. */
export interface SessionControls {
  /** Throws when the session could not be opened (store failure F1, `loadUser` failure F4). */
  guard(): void;
  /** Throws once the response has started: later changes could not be stored. */
  guardWrite(): void;
  /** A method or read-only property of the session object (names in RESERVED_SESSION_KEYS). */
  member(key: keyof SessionMethods): unknown;
}

function reserved(key: string): never {
  throw new SessionDataError(`session key ${JSON.stringify(key)} is reserved`);
}

/**
 * The object handlers see as `req.session` / `ctx.session`: data keys as plain properties,
 * plus the reserved members. Every set or delete, and every object handed out (which may be
 * changed in place), marks its key for comparison at commit (SPEC T4). Any use of the data
 * after a failed open throws that error, which the framework answers (503 for the store).
 */
export function createSessionProxy(data: SessionDataTracker, controls: SessionControls): Session {
  return new Proxy(data.values, {
    get: (target, key) => {
      if (typeof key === 'symbol') return undefined;
      if (RESERVED_SESSION_KEYS.has(key) && key !== '__proto__') return controls.member(key as keyof SessionMethods);
      controls.guard();
      const value = target[key];
      if (typeof value === 'object' && value !== null) data.touch(key);
      return value;
    },
    set: (target, key, value) => {
      if (typeof key === 'symbol') return false;
      if (RESERVED_SESSION_KEYS.has(key)) reserved(key);
      controls.guard();
      controls.guardWrite();
      target[key] = value;
      data.touch(key);
      return true;
    },
    deleteProperty: (target, key) => {
      if (typeof key === 'symbol') return false;
      controls.guard();
      controls.guardWrite();
      delete target[key];
      data.touch(key);
      return true;
    },
    has: (target, key) => {
      if (typeof key === 'symbol') return false;
      controls.guard();
      return key in target;
    },
    ownKeys: (target) => {
      controls.guard();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (typeof key === 'string') {
        controls.guard();
        data.touch(key);
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    defineProperty: (target, key, descriptor) => {
      if (typeof key === 'symbol') return false;
      if (RESERVED_SESSION_KEYS.has(key)) reserved(key);
      controls.guard();
      controls.guardWrite();
      data.touch(key);
      return Reflect.defineProperty(target, key, descriptor);
    },
  }) as Session;
}
