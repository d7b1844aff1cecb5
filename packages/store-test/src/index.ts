/**
 * @sessionware/store-test — the shared Store conformance suite (SPEC T9). `MemoryStore`,
 * `@sessionware/redis` and any third-party store run the same mocha tests against the
 * Store contract documented in `@sessionware/core`.
 * @packageDocumentation
 */
export { describeStoreConformance } from './describe-store-conformance.js';
export type { StoreConformanceSetup } from './describe-store-conformance.js';
export {
  asLoaded,
  asLoadedUser,
  at,
  byHandle,
  changesOf,
  DAY,
  entryOf,
  HOUR,
  listing,
  liveRecord,
  loadLive,
  MINUTE,
  newHandle,
  newId,
  newUserId,
  pastAbsoluteRecord,
  pastIdleRecord,
  seed,
  seedUser,
  sleepUntilPast,
  userRecord,
  userSessionId,
  withoutData,
} from './fixtures.js';
export type { CurrentStore, UserRecordOptions } from './fixtures.js';
