import { MemoryStore, type Store } from '@sessionware/core';

/** One store instance for one test app, with a way to count the sessions it holds. */
export interface BackendStore {
  store: Store;
  /** How many session records the store holds now (expired ones not yet removed included; not user indexes). */
  count(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Where the adapter suite keeps sessions. The suite runs against each backend unchanged,
 * proving the engine behaves the same whatever the store (SPEC T9).
 */
export interface StoreBackend {
  name: string;
  /** Mocha hooks the backend needs (e.g. starting a server); called inside the suite's describe. */
  hooks?(): void;
  create(): Promise<BackendStore>;
}

/** The embedded MemoryStore. */
export const memoryBackend: StoreBackend = {
  name: 'MemoryStore',
  async create() {
    const memory = new MemoryStore();
    return { store: memory, count: async () => memory.size, close: async () => memory.close() };
  },
};
