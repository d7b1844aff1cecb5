/**
 * @sessionware/store-test — the shared Store conformance suite (SPEC T9). `MemoryStore`,
 * `@sessionware/redis` and any third-party store run the same mocha tests against the
 * Store contract documented in `@sessionware/core`.
 * @packageDocumentation
 */
export { describeStoreConformance } from './describe-store-conformance.js';
export type { StoreConformanceSetup } from './describe-store-conformance.js';
