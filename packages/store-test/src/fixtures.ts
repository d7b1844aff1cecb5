/**
 * The fixtures of the Store conformance suite, exported so a store's own tests build records,
 * ids and expectations the same way: ids shaped like the engine's, live and expired records,
 * sessions of a user, and what `load` answers for them.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  userTag,
  type DataChanges,
  type LoadContext,
  type LoadedSession,
  type ReplacementSession,
  type Store,
  type StoredSession,
  type UserSessionEntry,
} from '@sessionware/core';

/** Returns the store under test; only valid inside a test. */
export type CurrentStore = () => Store;

/** One minute in milliseconds. */
export const MINUTE = 60_000;
/** One hour in milliseconds. */
export const HOUR = 60 * MINUTE;
/** One day in milliseconds. */
export const DAY = 24 * HOUR;

/** A fresh anonymous session id shaped like the engine's (43 base64url characters), unique across runs on a shared backend. */
export function newId(): string {
  return randomBytes(32).toString('base64url');
}

/** A fresh user id, unique across runs. */
export function newUserId(): string {
  return `user-${randomBytes(12).toString('base64url')}`;
}

/** A fresh id of a session of `userId`, shaped like the engine's: `<userTag(userId)>.<43 random base64url characters>`. */
export function userSessionId(userId: string): string {
  return `${userTag(userId)}.${randomBytes(32).toString('base64url')}`;
}

/** A fresh opaque handle, shaped like the engine's (16 random bytes, base64url). */
export function newHandle(): string {
  return randomBytes(16).toString('base64url');
}

/** How {@link userRecord} builds a logged-in session; every field has a default. */
export interface UserRecordOptions {
  /** @default {} */
  data?: Record<string, string>;
  /** Created and last seen at this time. @default Date.now() */
  now?: number;
  /** The user copy's change version. @default 0 */
  version?: number;
  /** The user copy's attributes, as JSON text. @default '{"name":"Ann","emailConfirmed":false}' */
  attributes?: string;
  /** @default a fresh handle ({@link newHandle}) */
  handle?: string;
  /** @default none */
  userAgent?: string;
}

/** A live record (as {@link liveRecord}) of a session of `userId`, with its cached user copy, handle and user agent. */
export function userRecord(userId: string, options: UserRecordOptions = {}): StoredSession {
  const { data = {}, now = Date.now(), version = 0, attributes = '{"name":"Ann","emailConfirmed":false}', handle = newHandle(), userAgent } = options;
  const record: StoredSession = { ...liveRecord(data, now), user: { id: userId, version, attributes }, handle };
  if (userAgent !== undefined) record.userAgent = userAgent;
  return record;
}

/** Creates `record` (a session of its user) under a fresh id of that user, asserting `'created'`. */
export async function seedUser(store: Store, record: StoredSession): Promise<string> {
  if (record.user === undefined) throw new TypeError('seedUser needs a record with a user');
  const id = userSessionId(record.user.id);
  expect(await store.create(id, record), 'create of a fresh user session id').to.equal('created');
  return id;
}

/** The listing entry of a session created from `record` under `id`, last seen at `lastSeenAt`. */
export function entryOf(id: string, record: StoredSession, lastSeenAt: number = record.lastSeenAt): UserSessionEntry {
  const entry: UserSessionEntry = { handle: record.handle ?? '', sessionId: id, createdAt: record.createdAt, lastSeenAt };
  if (record.userAgent !== undefined) entry.userAgent = record.userAgent;
  if (record.authenticatedAt !== undefined) entry.authenticatedAt = record.authenticatedAt;
  return entry;
}

/** The user's listing at `now`, sorted by handle (the contract sets no order). */
export async function listing(store: Store, userId: string, now: number = Date.now()): Promise<UserSessionEntry[]> {
  const entries = await store.listUserSessions(userId, now);
  return [...entries].sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0));
}

/** `entries` sorted by handle, to compare with {@link listing}. */
export function byHandle(...entries: UserSessionEntry[]): UserSessionEntry[] {
  return entries.sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0));
}

/** A record that is live by the real clock: created at `now`, idle deadline in an hour, absolute in a day. */
export function liveRecord(data: Record<string, string> = {}, now: number = Date.now()): StoredSession {
  return { data: { ...data }, createdAt: now, lastSeenAt: now, expiresAt: now + HOUR, absoluteExpiresAt: now + DAY };
}

/** A record whose idle deadline passed an hour ago by the real clock; its absolute deadline is still ahead. */
export function pastIdleRecord(data: Record<string, string> = {}): StoredSession {
  const now = Date.now();
  const createdAt = now - 2 * HOUR;
  return { data: { ...data }, createdAt, lastSeenAt: createdAt, expiresAt: now - HOUR, absoluteExpiresAt: createdAt + DAY };
}

/**
 * A record past its absolute deadline by the real clock whose idle deadline is still ahead,
 * so only a store that checks the absolute deadline on its own treats it as expired.
 */
export function pastAbsoluteRecord(data: Record<string, string> = {}): StoredSession {
  const now = Date.now();
  return { data: { ...data }, createdAt: now - 2 * DAY, lastSeenAt: now - MINUTE, expiresAt: now + HOUR, absoluteExpiresAt: now - DAY };
}

/** `record` without its data: what `replace` is given for the new session. */
export function withoutData(record: StoredSession): ReplacementSession {
  const { data: _data, ...rest } = record;
  return rest;
}

/** A login's data changes: keys to set, keys to remove (none unless told). */
export function changesOf(set: Record<string, string> = {}, unset: string[] = []): DataChanges {
  return { set: { ...set }, unset: [...unset] };
}

/** A load context: the given time and idle timeout (an hour unless told). */
export function at(now: number, idleTimeoutMs: number = HOUR): LoadContext {
  return { now, idleTimeoutMs };
}

/** Creates `record` under a fresh id, asserting the store answers `'created'`. */
export async function seed(store: Store, record: StoredSession = liveRecord()): Promise<string> {
  const id = newId();
  expect(await store.create(id, record), 'create of a fresh id').to.equal('created');
  return id;
}

/** Loads a session that must be live, failing the test with `why` when the store answers null. */
export async function loadLive(store: Store, id: string, context: LoadContext, why = 'a live session'): Promise<LoadedSession> {
  const session = await store.load(id, context);
  if (session === null) expect.fail(`load answered null for ${why}`);
  return session;
}

/** What `load` at `now` with `idleTimeoutMs` should return for `record`. */
export function asLoaded(record: StoredSession, now: number, idleTimeoutMs: number): StoredSession {
  return { ...record, data: { ...record.data }, lastSeenAt: now, expiresAt: Math.min(now + idleTimeoutMs, record.absoluteExpiresAt) };
}

/** What `load` at `now` with `idleTimeoutMs` should return for a user's `record` while the user's version is `userVersion`. */
export function asLoadedUser(record: StoredSession, now: number, idleTimeoutMs: number, userVersion: number): LoadedSession {
  return { ...asLoaded(record, now, idleTimeoutMs), userVersion };
}

/** Waits until the real clock is past `time`. */
export async function sleepUntilPast(time: number): Promise<void> {
  while (Date.now() <= time) {
    await new Promise((resolve) => setTimeout(resolve, time - Date.now() + 1));
  }
}
