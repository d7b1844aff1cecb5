import { SessionDataError } from '../errors.js';
import type { DataChanges } from '../store.js';

function serialiseValue(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new SessionDataError(`session key ${JSON.stringify(key)} is not JSON-serialisable`, { cause });
  }
  if (text === undefined) {
    throw new SessionDataError(`session key ${JSON.stringify(key)} is not JSON-serialisable (${typeof value})`);
  }
  return text;
}

/**
 * The data of one request's session and what has changed since it was loaded or last
 * committed. Keys that were set, deleted, or read as objects (which may be mutated in place)
 * are the only ones compared at commit, so an untouched session costs nothing (SPEC T4).
 */
export class SessionDataTracker {
  /** The live values; the proxy's target. A null prototype keeps `__proto__` and friends inert. */
  readonly values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  #baseline = new Map<string, string>();
  #candidates = new Set<string>();

  /** Starts from stored data (one JSON text per key): once, on a new tracker. */
  load(data: Record<string, string>): void {
    for (const key in data) {
      // The store's record is a plain object; own keys only, in case its prototype was extended.
      if (!Object.hasOwn(data, key)) continue;
      const text = data[key] as string;
      try {
        this.values[key] = JSON.parse(text);
        this.#baseline.set(key, text);
      } catch {
        // A value another writer corrupted is dropped, and removed at the next commit.
        this.#baseline.set(key, text);
        this.#candidates.add(key);
      }
    }
  }

  /** Empties the data and forgets the baseline (a destroyed session). */
  clear(): void {
    for (const key of Object.keys(this.values)) delete this.values[key];
    this.#baseline = new Map();
    this.#candidates.clear();
  }

  /** Records that `key` was set, deleted, or handed out as a mutable object. */
  touch(key: string): void {
    this.#candidates.add(key);
  }

  /** True when nothing is stored yet and nothing has been set. */
  get empty(): boolean {
    return this.#baseline.size === 0 && Object.keys(this.values).length === 0;
  }

  /**
   * True when no key differs from the baseline: {@link changes} would be empty. Answers without
   * building the changes when no key was touched (the common read-only request). Throws
   * {@link SessionDataError} on bad values, as `changes` does.
   */
  unchanged(): boolean {
    if (this.#candidates.size === 0) return true;
    const { set, unset } = this.changes();
    return unset.length === 0 && Object.keys(set).length === 0;
  }

  /** The per-key changes since the baseline. Throws {@link SessionDataError} on bad values. */
  changes(): DataChanges {
    const set: Record<string, string> = {};
    const unset: string[] = [];
    for (const key of this.#candidates) {
      const text = serialiseValue(key, this.values[key]);
      const before = this.#baseline.get(key);
      if (text === undefined) {
        if (before !== undefined) unset.push(key);
      } else if (text !== before) {
        set[key] = text;
      }
    }
    return { set, unset };
  }

  /** Every current key serialised: the data of a session being created. */
  snapshot(): Record<string, string> {
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.values)) {
      const text = serialiseValue(key, value);
      if (text !== undefined) data[key] = text;
    }
    return data;
  }

  /**
   * After an update or a login (`replace`) was stored: the changes become part of the
   * baseline. Keys other writers stored meanwhile stay out of it (and out of `values`), so a
   * later commit never unsets them.
   */
  committedChanges(changes: DataChanges): void {
    for (const [key, text] of Object.entries(changes.set)) this.#baseline.set(key, text);
    for (const key of changes.unset) this.#baseline.delete(key);
    // Candidates stay: a key set, or an object changed, while this commit was in flight is
    // still compared at the next one (unchanged keys compare equal and are not written).
  }

  /** After a whole record was stored (create, login): it becomes the baseline. */
  committedAll(data: Record<string, string>): void {
    this.#baseline = new Map(Object.entries(data));
    for (const key of Object.keys(this.values)) this.#candidates.add(key);
  }
}
