import { getHashes } from 'node:crypto';
import { SessionConfigError } from '../../errors.js';
import { checkOptionNames } from '../option-names.js';
import { hmacBase64, MAX_LEGACY_COOKIE_LENGTH, sameSignature, secretList } from './verify.js';

const URL_SAFE: Readonly<Record<string, string>> = { '/': '_', '+': '-', '=': '' };

/** keygrip's signature of `data`: base64 HMAC, `/` → `_`, `+` → `-`, `=` removed. */
export function keygripSign(algorithm: string, key: string, data: string): string {
  return hmacBase64(algorithm, key, data).replace(/[/+=]/g, (character) => URL_SAFE[character] ?? '');
}

/**
 * The value of a koa-session cookie (its external key, or its encoded data) when the
 * `<name>.sig` cookie verifies it under one of `keys`: the cookies library signs
 * `<name>=<value>` with keygrip. Undefined for anything else, an unsigned cookie included.
 */
export function koaSessionValue(
  value: string | undefined,
  signature: string | undefined,
  name: string,
  keys: readonly string[],
  algorithm: string,
): string | undefined {
  if (value === undefined || signature === undefined || value === '' || value.length > MAX_LEGACY_COOKIE_LENGTH) return undefined;
  let valid = false;
  // Every key is tried, so the time taken does not say which one matched.
  for (const key of keys) {
    if (sameSignature(signature, keygripSign(algorithm, key, `${name}=${value}`))) valid = true;
  }
  return valid ? value : undefined;
}

/** True when a koa-session record's `_expire` (ms since the epoch) has passed, as koa-session itself judges it. */
export function koaSessionExpired(data: Record<string, unknown>, now: number): boolean {
  const expire = data['_expire'];
  return typeof expire === 'number' && expire < now;
}

/** Checks the koa-session reader's keys option; answers them as a list. */
export function koaKeys(input: object, names: readonly string[]): readonly string[] {
  if (typeof input !== 'object' || input === null) throw new SessionConfigError('option migrateFrom is invalid: expected an object');
  checkOptionNames(input, names, { where: 'migrateFrom.' });
  return secretList('migrateFrom.keys', (input as { keys?: unknown }).keys);
}

/** keygrip's algorithm option, checked at startup so that verifying never throws. */
export function checkAlgorithm(algorithm: string): string {
  if (!getHashes().includes(algorithm)) throw new SessionConfigError('option migrateFrom.algorithm is invalid: not a hash algorithm of node:crypto');
  return algorithm;
}
