import { createHmac, timingSafeEqual } from 'node:crypto';
import { SessionConfigError } from '../../errors.js';

/** Longest old cookie value even looked at: a real one is well under 200 characters. */
export const MAX_LEGACY_COOKIE_LENGTH = 1024;

/** True when `actual` equals `expected`, compared in constant time over their bytes. */
export function sameSignature(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An HMAC of `data` under `secret`, standard base64 (the callers trim or translate it to their library's form). */
export function hmacBase64(algorithm: string, secret: string, data: string): string {
  return createHmac(algorithm, secret).update(data).digest('base64');
}

/** A secret list option (`secret`, `keys`): a non-empty string or a non-empty list of them, as a list. */
export function secretList(option: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  if (list.length === 0 || !list.every((secret) => typeof secret === 'string' && secret.length > 0)) {
    throw new SessionConfigError(`option ${option} is invalid: expected a non-empty string or a non-empty list of them`);
  }
  return Object.freeze([...(list as string[])]);
}

/** A required function option of the old store, named in the error. */
export function checkMethods(option: string, value: unknown, methods: readonly string[]): void {
  if (typeof value !== 'object' || value === null) throw new SessionConfigError(`option ${option} is invalid: expected the old library's store object`);
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw new SessionConfigError(`option ${option} is invalid: missing method ${method}()`);
    }
  }
}

/** An optional function option. */
export function optionalFunction<T>(option: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw new SessionConfigError(`option ${option} is invalid: expected a function`);
  return value;
}

/** An optional non-empty string option, else `fallback`. */
export function stringOption(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) throw new SessionConfigError(`option ${option} is invalid: expected a non-empty string`);
  return value;
}
