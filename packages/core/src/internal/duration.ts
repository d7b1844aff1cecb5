import { SessionConfigError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/**
 * A duration: milliseconds as a number, or a string such as `500ms`, `30s`, `15m`, `12h`, `7d`
 * (a bare digit string is milliseconds, as read from an environment variable).
 */
export type Duration = number | `${number}` | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/** The longest delay Node's timers honour (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Parses a {@link Duration} to whole milliseconds; throws naming `option` when invalid,
 * when it rounds to 0, or when it exceeds `maxMs` (pass {@link MAX_TIMER_MS} for timer delays).
 */
export function parseDuration(option: string, value: unknown, maxMs: number = Number.MAX_SAFE_INTEGER): number {
  let ms: number | undefined;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+$/.test(text)) {
      ms = Number(text);
    } else {
      const match = PATTERN.exec(text);
      if (match) ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    }
  }
  if (ms !== undefined) ms = Math.round(ms);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new SessionConfigError(
      `option ${option} is invalid: expected milliseconds or a duration like 30s, 15m, 12h, 7d`,
    );
  }
  if (ms > maxMs) {
    throw new SessionConfigError(`option ${option} is invalid: at most ${maxMs} ms`);
  }
  return ms;
}
