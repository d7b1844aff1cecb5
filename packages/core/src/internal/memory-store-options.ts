import { SessionConfigError } from '../errors.js';
import { MAX_TIMER_MS, parseDuration, type Duration } from './duration.js';
import { checkOptionNames } from './option-names.js';

/** Options of `MemoryStore`. */
export interface MemoryStoreOptions {
  /**
   * The most sessions kept. When full, creating one evicts the least recently used.
   * @default 100000
   */
  maxSessions?: number;
  /**
   * The most bytes the records may count (SPEC T10): per record, the UTF-8 bytes of its id,
   * data keys and JSON texts, user id and cached attributes, handle and User-Agent, plus 8 per
   * number field. When a create, replace or update would pass it, the least recently used
   * other sessions are evicted first. A single record larger than this is refused with
   * `SessionStoreError` and nothing changes: keep it well above the engine's `maxSessionBytes`.
   * The default holds a thousand sessions at the default `maxSessionBytes` (64 KiB), or the
   * default `maxSessions` at about 670 bytes each; V8's per-object overhead comes on top.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
  /**
   * How often expired sessions are swept. The timer does not keep the process alive.
   * @default '1m'
   */
  sweepInterval?: Duration;
}

/** The validated, defaulted form of {@link MemoryStoreOptions}; the interval in milliseconds. */
export interface ResolvedMemoryStoreOptions {
  readonly maxSessions: number;
  readonly maxBytes: number;
  readonly sweepIntervalMs: number;
}

const MEMORY_STORE_OPTION_NAMES = Object.keys({ maxSessions: true, maxBytes: true, sweepInterval: true } satisfies Record<keyof MemoryStoreOptions, true>);

/** Validates and defaults the options of `MemoryStore` in one place; throws naming the option. */
export function resolveMemoryStoreOptions(options: MemoryStoreOptions): ResolvedMemoryStoreOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SessionConfigError('options are invalid: expected an object');
  }
  checkOptionNames(options, MEMORY_STORE_OPTION_NAMES);
  const maxSessions = options.maxSessions ?? 100_000;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
    throw new SessionConfigError('option maxSessions is invalid: expected a positive integer');
  }
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new SessionConfigError('option maxBytes is invalid: expected a positive integer');
  }
  const sweepIntervalMs = parseDuration('sweepInterval', options.sweepInterval ?? '1m', MAX_TIMER_MS);
  return Object.freeze({ maxSessions, maxBytes, sweepIntervalMs });
}
