import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { LoadContext, Store, StoredSession } from '@sessionware/core';

/** Returns the store under test; only valid inside a test. */
export type CurrentStore = () => Store;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A fresh id shaped like the engine's (base64url), unique across runs on a shared backend. */
export function newId(): string {
  return randomBytes(24).toString('base64url');
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
export async function loadLive(store: Store, id: string, context: LoadContext, why = 'a live session'): Promise<StoredSession> {
  const session = await store.load(id, context);
  if (session === null) expect.fail(`load answered null for ${why}`);
  return session;
}

/** What `load` at `now` with `idleTimeoutMs` should return for `record`. */
export function asLoaded(record: StoredSession, now: number, idleTimeoutMs: number): StoredSession {
  return { ...record, data: { ...record.data }, lastSeenAt: now, expiresAt: Math.min(now + idleTimeoutMs, record.absoluteExpiresAt) };
}

/** Waits until the real clock is past `time`. */
export async function sleepUntilPast(time: number): Promise<void> {
  while (Date.now() <= time) {
    await new Promise((resolve) => setTimeout(resolve, time - Date.now() + 1));
  }
}
