import { MemoryStore } from '../../src/memory-store.js';
import type { LoadContext, LoadedSession, RevokeSelection, SessionChanges, Store, StoredSession, UserSessionEntry } from '../../src/store.js';

/** A method of the Store interface. */
export type StoreMethod = keyof Store;

/** One call a {@link ScriptedStore} received. */
export interface StoreCall {
  method: StoreMethod;
  args: unknown[];
}

type Script = { [M in StoreMethod]?: (...args: Parameters<Store[M]>) => ReturnType<Store[M]> };

/** A promise that never settles: a store or hook that does not answer. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/**
 * A real MemoryStore that records every call and lets a test script the answer of any method
 * (fail, hang, answer `'exists'`…); unscripted calls reach the MemoryStore. Not a mock: the data
 * lives in the store, and `seed` puts a record there without being recorded.
 */
export class ScriptedStore extends MemoryStore {
  readonly calls: StoreCall[] = [];
  readonly script: Script = {};

  /** The names of the methods called so far, in order. */
  methods(): StoreMethod[] {
    return this.calls.map((call) => call.method);
  }

  /** The arguments of every call of `method`, in order. */
  argsOf(method: StoreMethod): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** Makes `methods` never answer. */
  hang(...methods: StoreMethod[]): void {
    for (const method of methods) (this.script as Record<string, () => Promise<never>>)[method] = () => never();
  }

  /** Makes `method` reject with `error`. */
  fail(method: StoreMethod, error: Error = new Error('store down')): void {
    (this.script as Record<string, () => Promise<never>>)[method] = () => Promise.reject(error);
  }

  /** Stores a record directly, unrecorded: the state a test starts from, or a scripted answer passing on to the MemoryStore. */
  seed(id: string, session: StoredSession): Promise<'created' | 'exists' | 'limited'> {
    return super.create(id, session);
  }

  /** Reads a record directly, unrecorded (it slides the idle deadline, as any load does). */
  inspect(id: string): Promise<LoadedSession | null> {
    return super.load(id, { now: Date.now(), idleTimeoutMs: 60_000 });
  }

  #record(method: StoreMethod, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  override load(id: string, context: LoadContext): Promise<LoadedSession | null> {
    this.#record('load', [id, context]);
    return this.script.load?.(id, context) ?? super.load(id, context);
  }
  // Spread, as replace below: a limit given is recorded and passed on (SPEC P4).
  override create(...args: Parameters<MemoryStore['create']>): ReturnType<MemoryStore['create']> {
    this.#record('create', args);
    return this.script.create?.(...args) ?? super.create(...args);
  }
  override update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    this.#record('update', [id, changes]);
    return this.script.update?.(id, changes) ?? super.update(id, changes);
  }
  // Spread, so this follows the Store contract's replace as it changes (the 4-argument form of the store branch).
  override replace(...args: Parameters<MemoryStore['replace']>): ReturnType<MemoryStore['replace']> {
    this.#record('replace', args);
    return this.script.replace?.(...args) ?? super.replace(...args);
  }
  override destroy(id: string): Promise<void> {
    this.#record('destroy', [id]);
    return this.script.destroy?.(id) ?? super.destroy(id);
  }
  override userVersion(userId: string): Promise<number> {
    this.#record('userVersion', [userId]);
    return this.script.userVersion?.(userId) ?? super.userVersion(userId);
  }
  override markUserChanged(userId: string): Promise<void> {
    this.#record('markUserChanged', [userId]);
    return this.script.markUserChanged?.(userId) ?? super.markUserChanged(userId);
  }
  override listUserSessions(userId: string, now: number): Promise<UserSessionEntry[]> {
    this.#record('listUserSessions', [userId, now]);
    return this.script.listUserSessions?.(userId, now) ?? super.listUserSessions(userId, now);
  }
  override revokeUserSessions(userId: string, selection: RevokeSelection): Promise<number> {
    this.#record('revokeUserSessions', [userId, selection]);
    return this.script.revokeUserSessions?.(userId, selection) ?? super.revokeUserSessions(userId, selection);
  }
}
