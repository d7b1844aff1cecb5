// Model-based properties of concurrent writes and of destroy/logout on one session, under
// forced interleavings of their store calls (SPEC T4, T8, L5, F1).
import { describeLifecycle } from './support/lifecycle-suite.js';
import { checkConcurrentKeys, checkNoResurrection, ending, loginLike, scenario, writes } from './support/lifecycle-model.js';
import { scaled } from './support/scale.js';
import fc from 'fast-check';

describeLifecycle('concurrent writes and ends of one session', [
  {
    id: '(i) T4, T8: writes of different keys',
    title: 'T4, T8 (i), F1 (v): concurrent requests changing different keys all persist, a key deleted by one is not resurrected by another, no hang, no 5xx',
    scenarios: scenario(writes(2, 5)),
    check: checkConcurrentKeys,
    runs: scaled(150),
  },
  {
    id: '(iii) T8, L5: no resurrection',
    title: 'T8 (iii), L5, F1 (v): a destroyed or logged-out session is never resurrected by a concurrent write or login, and its cookie replays as anonymous',
    scenarios: scenario(fc.tuple(ending), writes(1, 4), fc.option(loginLike, { nil: undefined }).map((l) => (l === undefined ? [] : [l]))),
    check: checkNoResurrection,
    runs: scaled(150),
  },
]);
