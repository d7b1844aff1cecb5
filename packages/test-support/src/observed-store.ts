import type { SessionChanges, Store } from '@sessionware/core';
import { createGate, type Gate, type HeldGate } from './gate.js';

/** One call a {@link ObservedStore} saw. */
export interface StoreCall {
  method: keyof Store;
  /** The changes given to `update` or `replace`. */
  changes?: SessionChanges;
}

/**
 * A real store (the one given as `inner`) with instrumentation: it records every call, tells
 * when a method is reached, can pause a method at a gate until released, delay any method,
 * and make it fail or hang. Not a mock: the data lives in the inner store.
 */
export class ObservedStore implements Store {
  readonly calls: StoreCall[] = [];
  /** Milliseconds added before each method runs. */
  readonly delays: Partial<Record<keyof Store, number>> = {};
  /** Methods that reject with this error. */
  readonly failures: Partial<Record<keyof Store, Error>> = {};
  /** Methods that never answer. */
  readonly hangs = new Set<keyof Store>();

  readonly #gates = new Map<keyof Store, HeldGate>();
  readonly #waiters = new Map<keyof Store, Array<() => void>>();

  constructor(readonly inner: Store) {}

  /** Pauses `method`: its calls wait until the gate is released; a test awaits `reached` instead of sleeping. */
  pause(method: keyof Store): Gate {
    const gate = createGate();
    this.#gates.set(method, gate);
    return gate;
  }

  /** Settles when the next call of `method` arrives (before any gate, delay or failure), without holding it. */
  reached(method: keyof Store): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(method) ?? [];
      waiters.push(resolve);
      this.#waiters.set(method, waiters);
    });
  }

  /** Releases every gate (cleanup after a failed test, so nothing stays pending). */
  releaseAll(): void {
    for (const gate of this.#gates.values()) gate.release();
  }

  async #run<T>(method: keyof Store, call: () => Promise<T>, changes?: SessionChanges): Promise<T> {
    this.calls.push(changes === undefined ? { method } : { method, changes });
    const waiters = this.#waiters.get(method);
    this.#waiters.delete(method);
    for (const resolve of waiters ?? []) resolve();
    const gate = this.#gates.get(method);
    if (gate !== undefined && !gate.released) await gate.pass();
    const delay = this.delays[method];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.hangs.has(method)) return new Promise<T>(() => undefined);
    const failure = this.failures[method];
    if (failure !== undefined) throw failure;
    return call();
  }

  /** The names of the methods called so far, in order. */
  methods(): Array<keyof Store> {
    return this.calls.map((call) => call.method);
  }

  /** Forgets the calls recorded so far. */
  reset(): void {
    this.calls.length = 0;
  }

  // Each method records and gates the call, then runs it on the inner store, with the Store's own signature.
  load(...args: Parameters<Store['load']>): ReturnType<Store['load']> {
    return this.#run('load', () => this.inner.load(...args));
  }
  peek(...args: Parameters<Store['peek']>): ReturnType<Store['peek']> {
    return this.#run('peek', () => this.inner.peek(...args));
  }
  create(...args: Parameters<Store['create']>): ReturnType<Store['create']> {
    return this.#run('create', () => this.inner.create(...args));
  }
  update(...args: Parameters<Store['update']>): ReturnType<Store['update']> {
    return this.#run('update', () => this.inner.update(...args), args[1]);
  }
  replace(...args: Parameters<Store['replace']>): ReturnType<Store['replace']> {
    return this.#run('replace', () => this.inner.replace(...args), args[3]);
  }
  destroy(...args: Parameters<Store['destroy']>): ReturnType<Store['destroy']> {
    return this.#run('destroy', () => this.inner.destroy(...args));
  }
  userVersion(...args: Parameters<Store['userVersion']>): ReturnType<Store['userVersion']> {
    return this.#run('userVersion', () => this.inner.userVersion(...args));
  }
  markUserChanged(...args: Parameters<Store['markUserChanged']>): ReturnType<Store['markUserChanged']> {
    return this.#run('markUserChanged', () => this.inner.markUserChanged(...args));
  }
  listUserSessions(...args: Parameters<Store['listUserSessions']>): ReturnType<Store['listUserSessions']> {
    return this.#run('listUserSessions', () => this.inner.listUserSessions(...args));
  }
  revokeUserSessions(...args: Parameters<Store['revokeUserSessions']>): ReturnType<Store['revokeUserSessions']> {
    return this.#run('revokeUserSessions', () => this.inner.revokeUserSessions(...args));
  }
}
