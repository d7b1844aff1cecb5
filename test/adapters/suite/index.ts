import type { StoreBackend } from '../backend.js';
import type { AdapterTarget } from '../target.js';
import { cookieTests } from './cookies.js';
import { faultTests } from './faults.js';
import { useHarness } from './harness.js';
import { lifecycleTests } from './lifecycle.js';
import { limitTests } from './limits.js';
import { logoutTests } from './logout.js';
import { policyTests } from './policies.js';
import { raceTests } from './races.js';
import { sessionLimitTests } from './session-limit.js';
import { signingTests } from './signing.js';
import { userTests } from './users.js';
import { valueTests } from './values.js';

/**
 * The adapter conformance suite: every HTTP-level rule of the SPEC, written once and run
 * against each adapter through its {@link AdapterTarget}.
 */
export function describeAdapterConformance(target: AdapterTarget, backend: StoreBackend): void {
  describe(`adapter conformance: ${target.name} on ${backend.name}`, () => {
    backend.hooks?.();
    const harness = useHarness(target, backend);
    cookieTests(harness);
    signingTests(harness);
    lifecycleTests(harness);
    raceTests(harness);
    limitTests(harness);
    valueTests(harness);
    logoutTests(harness);
    faultTests(harness);
    userTests(harness);
    policyTests(harness);
    sessionLimitTests(harness);
  });
}
