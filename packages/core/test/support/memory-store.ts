import { randomBytes } from 'node:crypto';
import { MemoryStore, type MemoryStoreOptions } from '../../src/memory-store.js';
import type { StoredSession } from '../../src/store.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A fresh id of 32 characters, so every record of the same data counts the same bytes. */
export function newId(): string {
  return randomBytes(24).toString('base64url');
}

/** A live record: created and last seen at `t`, idle deadline an hour later, absolute a day later. */
export function record(data: Record<string, string> = {}, t = Date.now()): StoredSession {
  return { data, createdAt: t, lastSeenAt: t, expiresAt: t + HOUR, absoluteExpiresAt: t + DAY };
}

/** A factory of MemoryStores for the calling suite; each is closed (its sweep timer stopped) after each test. */
export function useMemoryStores(): (options?: MemoryStoreOptions) => MemoryStore {
  const stores: MemoryStore[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });
  return (options) => {
    const store = new MemoryStore(options);
    stores.push(store);
    return store;
  };
}
