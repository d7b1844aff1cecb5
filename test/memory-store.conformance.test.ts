// The shared Store conformance suite (SPEC T9) run against the embedded MemoryStore.
// The Redis store runs the same suite from its own test file.
import { MemoryStore } from '@sessionware/core';
import { describeStoreConformance } from '@sessionware/store-test';

describeStoreConformance('MemoryStore', {
  create: () => new MemoryStore(),
  cleanup: (s) => (s as MemoryStore).close(),
});
