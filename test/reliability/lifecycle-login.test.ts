// Model-based properties of a login (or regenerate) racing writes and a logout of the same
// session, under forced interleavings of their store calls (SPEC T6, T8 contract v2, F1).
import fc from 'fast-check';
import { describeLifecycle } from './support/lifecycle-suite.js';
import { checkLoginKeepsWrites, checkLoginRacingLogout, ending, loginLike, scenario, writes } from './support/lifecycle-model.js';
import { scaled } from './support/scale.js';

describeLifecycle('a login racing writes and a logout of one session', [
  {
    id: '(ii) T6, T8 v2: writes across a login',
    title: 'T6, T8 v2 (ii), F1 (v): a write acknowledged 2xx on the old id while a login or regenerate was in flight is in the new session, or was not acknowledged',
    scenarios: scenario(fc.tuple(loginLike), writes(1, 4)),
    check: checkLoginKeepsWrites,
    runs: scaled(150),
  },
  {
    id: '(iv) T8 v2: login racing a logout',
    title: 'T8 v2 (iv), F1 (v): a login racing a logout never answers 2xx while clearing the session cookie; it logs in on a fresh session without the destroyed data, or answers non-2xx',
    scenarios: scenario(fc.tuple(loginLike), fc.tuple(ending), writes(0, 3)),
    check: checkLoginRacingLogout,
    runs: scaled(150),
  },
]);
