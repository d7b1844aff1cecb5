import { SessionDataError } from '../errors.js';
import type { DataChanges } from '../store.js';
import { checkJsonValue } from './json-value.js';
import { entryBytes, utf8Bytes } from './session-size.js';

/**
 * The stored text of a value, or undefined for a deleted key. Checked again here because a
 * value checked at its assignment may have been changed in place since (SPEC O2).
 */
function serialiseValue(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  checkJsonValue(key, value);
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
  /** The baseline's stored size; undefined until a commit with changes asks (a request that changes nothing never counts). */
  #baselineBytes: number | undefined = 0;
  #candidates = new Set<string>();

  /** Starts from stored data (one JSON text per key): once, on a new tracker. */
  load(data: Record<string, string>): void {
    this.#baselineBytes = undefined;
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
    this.#baselineBytes = 0;
    this.#candidates.clear();
  }

  /**
   * Removes every value but keeps the baseline, so the next changes unset every stored key:
   * `destroy()`, after which a login writes only what this request sets.
   */
  removeAll(): void {
    for (const key of Object.keys(this.values)) delete this.values[key];
    for (const key of this.#baseline.keys()) this.#candidates.add(key);
  }

  /** Forgets the baseline, keeping the values: they are what a record created next holds. */
  forgetBaseline(): void {
    this.#baseline = new Map();
    this.#baselineBytes = 0;
    this.#candidates = new Set(Object.keys(this.values));
  }

  /**
   * Keeps only what this request changed, then forgets the baseline: a login whose old
   * session was destroyed meanwhile starts afresh without the destroyed data (SPEC T8).
   */
  keepOnlyChanges(): void {
    const { set } = this.changes();
    for (const key of Object.keys(this.values)) {
      if (!Object.hasOwn(set, key)) delete this.values[key];
    }
    this.forgetBaseline();
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

  /** The stored size of the baseline, as `maxSessionBytes` counts it; counted on first use, then kept. */
  storedSize(): number {
    if (this.#baselineBytes === undefined) {
      let bytes = 0;
      for (const [key, text] of this.#baseline) bytes += entryBytes(key, text);
      this.#baselineBytes = bytes;
    }
    return this.#baselineBytes;
  }

  /** The stored size once `changes` are applied to the baseline; counts only the changed keys once the baseline is known. */
  sizeAfter(changes: DataChanges): number {
    let bytes = this.storedSize();
    for (const [key, text] of Object.entries(changes.set)) {
      const before = this.#baseline.get(key);
      bytes += utf8Bytes(text) + (before === undefined ? utf8Bytes(key) : -utf8Bytes(before));
    }
    for (const key of changes.unset) {
      const before = this.#baseline.get(key);
      if (before !== undefined) bytes -= entryBytes(key, before);
    }
    return bytes;
  }

  /**
   * After an update or a login (`replace`) was stored: the changes become part of the
   * baseline. Keys other writers stored meanwhile stay out of it (and out of `values`), so a
   * later commit never unsets them.
   */
  committedChanges(changes: DataChanges): void {
    if (this.#baselineBytes !== undefined) this.#baselineBytes = this.sizeAfter(changes);
    for (const [key, text] of Object.entries(changes.set)) this.#baseline.set(key, text);
    for (const key of changes.unset) this.#baseline.delete(key);
    // Candidates stay: a key set, or an object changed, while this commit was in flight is
    // still compared at the next one (unchanged keys compare equal and are not written).
  }

  /** After a whole record was stored (create, login): it becomes the baseline. */
  committedAll(data: Record<string, string>): void {
    this.#baseline = new Map(Object.entries(data));
    this.#baselineBytes = undefined;
    for (const key of Object.keys(this.values)) this.#candidates.add(key);
  }
}
