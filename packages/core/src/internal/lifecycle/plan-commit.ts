import type { CookieAction, Intent, Phase } from './state.js';

/** What the data of the session is, as far as a commit is concerned. */
export type DataStatus = 'empty' | 'unchanged' | 'changed';

/** The part of a request's state a commit is decided from. */
export interface CommitState {
  readonly phase: Phase;
  readonly intent: Intent;
  /** Whether the session has a record in the store. */
  readonly stored: boolean;
  readonly data: DataStatus;
  readonly cookie: CookieAction;
  /** Whether the live session's cookie value is signed already. */
  readonly signed: boolean;
  /** Whether the stored session's id is older than `renewalInterval` (SPEC P2). */
  readonly renewalDue: boolean;
}

/**
 * The next store step of a commit:
 * - `create`: a new record (a new session with data, or a login of a new session);
 * - `replace`: login or `regenerate()`: a new id for the stored session (SPEC T6);
 * - `update`: the changed keys only (SPEC T4);
 * - `destroy`: `destroy()` or `session = null`;
 * - `renew`: a new id for a user's session older than `renewalInterval` (SPEC P2); a login or
 *   `regenerate()` gives it one already, a destroy needs none.
 */
export type StoreStep = 'none' | 'create' | 'replace' | 'update' | 'destroy' | 'renew';

/** What a commit does next. */
export interface CommitPlan {
  readonly store: StoreStep;
  /** The cookies to write once no store step is left. */
  readonly cookie: CookieAction;
  /** Whether the live session's cookie value must be signed before the cookies are written. */
  readonly sign: boolean;
}

function plan(store: StoreStep, cookie: CookieAction, sign: boolean): CommitPlan {
  return Object.freeze({ store, cookie, sign });
}

// Every plan there can be, made once: deciding a commit allocates nothing (docs/perf-notes.md#issue-12-the-lifecycle-rewrite).
const NOTHING = plan('none', 'none', false);
const WRITE: Readonly<Record<CookieAction, CommitPlan>> = { none: NOTHING, issue: plan('none', 'issue', false), clear: plan('none', 'clear', false) };
const SIGN_AND_ISSUE = plan('none', 'issue', true);
const STEP: Readonly<Record<Exclude<StoreStep, 'none'>, CommitPlan>> = {
  create: plan('create', 'none', false),
  replace: plan('replace', 'none', false),
  update: plan('update', 'none', false),
  destroy: plan('destroy', 'none', false),
  renew: plan('renew', 'none', false),
};

function storeStep({ intent, stored, data, renewalDue }: CommitState): StoreStep {
  if (intent === 'destroy' && stored) return 'destroy';
  if (intent === 'login' || intent === 'regenerate') return stored ? 'replace' : 'create';
  if (!stored) return data === 'empty' ? 'none' : 'create';
  // The renewal first: the changed keys follow, on the new id.
  if (renewalDue) return 'renew';
  return data === 'changed' ? 'update' : 'none';
}

/**
 * The one place that decides what a commit does. A commit runs the plan's store step, which
 * changes the state, and asks again, until the step is `none`; then it writes the cookies.
 * The synchronous commit (`commitSync`) succeeds exactly when the first plan needs neither
 * the store nor a signature.
 */
export function planCommit(state: CommitState): CommitPlan {
  if (state.phase === 'failed' || state.phase === 'ended') return NOTHING;
  const store = storeStep(state);
  if (store !== 'none') return STEP[store];
  // A destroyed session's cookies are cleared, as are a live cookie's whose record is gone.
  const cookie = state.intent === 'destroy' || (state.cookie === 'issue' && !state.stored) ? 'clear' : state.cookie;
  return cookie === 'issue' && !state.signed ? SIGN_AND_ISSUE : WRITE[cookie];
}
