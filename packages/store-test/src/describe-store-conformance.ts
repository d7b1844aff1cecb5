import type { Store } from '@sessionware/core';
import type { CurrentStore } from './fixtures.js';
import { describeConcurrencyTests } from './internal/concurrency-tests.js';
import { describeCreateTests } from './internal/create-tests.js';
import { describeDeadlineTests } from './internal/deadline-tests.js';
import { describeLoadTests } from './internal/load-tests.js';
import { describePolicyTests } from './internal/policy-tests.js';
import { describeReplaceMergeTests } from './internal/replace-merge-tests.js';
import { describeReplaceTests } from './internal/replace-tests.js';
import { describeUpdateTests } from './internal/update-tests.js';
import { describeUserIndexTests } from './internal/user-index-tests.js';
import { describeUserLimitTests } from './internal/user-limit-tests.js';
import { describeUserLoginTests } from './internal/user-login-tests.js';
import { describeUserRevokeTests } from './internal/user-revoke-tests.js';
import { describeUserVersionTests } from './internal/user-version-tests.js';
import { describeValueTests } from './internal/value-tests.js';

/** How the suite gets a store to test, and how it disposes of one. */
export interface StoreConformanceSetup {
  /**
   * Returns a ready store. Called before every test, so each test starts from a fresh store
   * (or a fresh connection to a shared backend: the suite uses random ids, never clears).
   */
  create(): Promise<Store> | Store;
  /** Disposes of the store `create` returned (close timers, quit clients). Called after every test. */
  cleanup?(store: Store): Promise<void> | void;
}

/**
 * Declares the Store conformance suite with mocha's global `describe`/`it` (SPEC T9): load
 * and its deadline slide (T2), create-if-absent (T5), atomic replace (T6) that carries the
 * old session's data as stored then over with the login's changes merged in (T8), per-key
 * update that never resurrects (T8), destroy, verbatim values and concurrent use; and for sessions
 * that belong to a user (U1, U2, U4): the user copy, the user's change version read by
 * `load`, the per-user index kept exact by create, replace, destroy and expiry, listing and
 * revocation, and the session limit of a login (P4). Call it at the top level of a test file that mocha runs:
 *
 * ```ts
 * describeStoreConformance('MyStore', {
 *   create: () => new MyStore(),
 *   cleanup: (store) => (store as MyStore).close(),
 * });
 * ```
 *
 * Times given to the store are real (`Date.now()`-based), since `create`, `update` and
 * `replace` judge liveness by the app's clock; one test waits about 50 ms for a real deadline.
 */
export function describeStoreConformance(name: string, setup: StoreConformanceSetup): void {
  describe(`store conformance: ${name}`, () => {
    let current: Store | undefined;

    beforeEach(async () => {
      current = await setup.create();
    });

    afterEach(async () => {
      const store = current;
      current = undefined;
      if (store !== undefined && setup.cleanup !== undefined) await setup.cleanup(store);
    });

    const store: CurrentStore = () => {
      if (current === undefined) throw new Error('the store under test is only available inside a test');
      return current;
    };

    describeLoadTests(store);
    describeDeadlineTests(store);
    describeCreateTests(store);
    describeUpdateTests(store);
    describeReplaceTests(store);
    describeReplaceMergeTests(store);
    describeValueTests(store);
    describeConcurrencyTests(store);
    describeUserVersionTests(store);
    describeUserIndexTests(store);
    describeUserLoginTests(store);
    describeUserRevokeTests(store);
    describePolicyTests(store);
    describeUserLimitTests(store);
  });
}
