import { SessionConfigError } from '../errors.js';
import type { SessionOptions } from '../options.js';
import type { Store } from '../store.js';
import { parseDuration, type Duration } from './duration.js';

/** The grace of a renewed id when `renewalGrace` is not given. */
const DEFAULT_RENEWAL_GRACE: Duration = '30s';

/** `renewalInterval` and `renewalGrace` in milliseconds (SPEC P2): the grace shorter than the interval, and only with one. */
export function resolveRenewal(input: SessionOptions, store: Store): { renewalIntervalMs: number | undefined; renewalGraceMs: number } {
  if (input.renewalInterval === undefined) {
    if (input.renewalGrace !== undefined) throw new SessionConfigError('option renewalGrace is invalid: it needs renewalInterval, which turns renewal on');
    return { renewalIntervalMs: undefined, renewalGraceMs: parseDuration('renewalGrace', DEFAULT_RENEWAL_GRACE) };
  }
  const renewalIntervalMs = parseDuration('renewalInterval', input.renewalInterval);
  const renewalGraceMs = parseDuration('renewalGrace', input.renewalGrace ?? DEFAULT_RENEWAL_GRACE);
  if (renewalGraceMs >= renewalIntervalMs) throw new SessionConfigError('option renewalGrace is invalid: it must be shorter than renewalInterval');
  if (typeof (store as Partial<Store>).renew !== 'function') throw new SessionConfigError('option store is invalid: missing method renew(), which renewalInterval needs');
  return { renewalIntervalMs, renewalGraceMs };
}
