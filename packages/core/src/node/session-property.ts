import type { RequestSession } from '../engine.js';
import { requestSessionOf } from '../engine.js';
import { SessionConfigError } from '../errors.js';

/**
 * The `session` property the adapters put on Express's `req` and Koa's `ctx`: reading it
 * gives the session object; assigning `null` destroys the session, anything else throws
 * (SPEC R5). A second session middleware on the same request is refused (SPEC R6).
 */

/**
 * Throws `SessionConfigError` when `target` already has a session from another session
 * middleware, or from sessionware mounted a second time (SPEC R6). `where` names the
 * property in the message (`req.session`, `ctx.session`).
 */
export function checkSessionSlot(target: object, where: string): void {
  if (!('session' in target)) return;
  const own = Object.getOwnPropertyDescriptor(target, 'session');
  // A getter on a prototype belongs to another library (koa-session defines one on app.context): not called.
  const value = own === undefined ? (hasInheritedAccessor(target) ? null : undefined) : own.get !== undefined ? own.get.call(target) : own.value;
  if (value === undefined) return;
  if (requestSessionOf(value) !== undefined) {
    throw new SessionConfigError(`sessionware is mounted twice on this request: ${where} is already a sessionware session; mount session() once`);
  }
  throw new SessionConfigError(`${where} is already set by another session middleware (express-session, cookie-session, koa-session, …): mount only one session middleware`);
}

function hasInheritedAccessor(target: object): boolean {
  for (let level = Object.getPrototypeOf(target) as object | null; level !== null; level = Object.getPrototypeOf(level) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(level, 'session');
    if (descriptor !== undefined) return descriptor.get !== undefined || descriptor.set !== undefined || descriptor.value !== undefined;
  }
  return false;
}

/** Where the accessor below finds the request's session; module-private. */
const REQUEST_SESSION = Symbol('sessionware.requestSession');

interface Holder {
  [REQUEST_SESSION]: RequestSession;
}

/** One accessor for every request, so the objects that get it share their shape: see docs/perf-notes.md#held-responses. */
const SESSION_PROPERTY: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: Holder): unknown {
    return this[REQUEST_SESSION].session;
  },
  set(this: Holder, value: unknown): void {
    this[REQUEST_SESSION].assign(value);
  },
};

/** Defines `target.session` as the request's session (SPEC R5). */
export function attachSession(target: object, requestSession: RequestSession): void {
  (target as Holder)[REQUEST_SESSION] = requestSession;
  Object.defineProperty(target, 'session', SESSION_PROPERTY);
}
