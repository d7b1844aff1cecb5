import { randomUUID } from 'node:crypto';

/** A user of the example apps, as their HTTP contract shows it (SPEC §E). */
export interface User {
  id: string;
  username: string;
  emailConfirmed: boolean;
}

/** The example apps' users table: their "database", not the session store. */
export interface UsersTable {
  /** Any username logs in: returns the user, creating it on first login. */
  findOrCreate(username: string): Promise<User>;
  get(id: string): Promise<User | null>;
  confirmEmail(id: string): Promise<User | null>;
}

/** The users table in process memory (used when REDIS_URL is unset). */
export function memoryUsersTable(): UsersTable {
  const byId = new Map<string, User>();
  const idByName = new Map<string, string>();
  return {
    async findOrCreate(username) {
      const id = idByName.get(username);
      const existing = id === undefined ? undefined : byId.get(id);
      if (existing !== undefined) return { ...existing };
      const user: User = { id: randomUUID(), username, emailConfirmed: false };
      byId.set(user.id, user);
      idByName.set(username, user.id);
      return { ...user };
    },
    async get(id) {
      const user = byId.get(id);
      return user === undefined ? null : { ...user };
    },
    async confirmEmail(id) {
      const user = byId.get(id);
      if (user === undefined) return null;
      user.emailConfirmed = true;
      return { ...user };
    },
  };
}

/** A valid username: 1–64 characters, no control characters. */
export function parseUsername(body: unknown): string | null {
  const value = typeof body === 'object' && body !== null ? (body as { username?: unknown }).username : undefined;
  if (typeof value !== 'string') return null;
  const username = value.trim();
  // eslint-disable-next-line no-control-regex
  return username.length > 0 && username.length <= 64 && !/[\u0000-\u001f\u007f]/.test(username) ? username : null;
}

/**
 * Whether `POST /login` asks to be remembered (SPEC P1): `"remember": true` in JSON, or the
 * page's checkbox in a form post (`remember=on`, or `true`). Anything else, or no field, is no.
 */
export function wantsRemember(body: Record<string, unknown>): boolean {
  const value = body['remember'];
  return value === true || value === 'on' || value === 'true';
}

/** Keys `GET /data` could not answer as an own property of its `{"data": {…}}` object. */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A valid key of `PUT /data/:key`. Keys are stored under {@link DATA_PREFIX}, so the session's
 * own names (`login`, `save`) are fine; `__proto__` and its kin are not.
 */
export function isDataKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(key) && !OBJECT_KEYS.has(key);
}

/** Session keys of `PUT /data/:key` live at the top level under this prefix, so concurrent writes merge per key. */
export const DATA_PREFIX = 'data:';
