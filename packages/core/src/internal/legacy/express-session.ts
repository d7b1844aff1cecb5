import { SessionConfigError } from '../../errors.js';
import { checkOptionNames } from '../option-names.js';
import { hmacBase64, MAX_LEGACY_COOKIE_LENGTH, sameSignature, secretList } from './verify.js';

/**
 * The session id of an express-session cookie value (`s:<sid>.<signature>`, already URL-decoded
 * by the cookie parser) when its signature verifies under one of `secrets`; undefined for
 * anything else. The signature is cookie-signature's: base64 HMAC-SHA256 of the id, `=`
 * padding removed. Compared in constant time.
 */
export function expressSessionId(value: string | undefined, secrets: readonly string[]): string | undefined {
  if (value === undefined || value.length > MAX_LEGACY_COOKIE_LENGTH || !value.startsWith('s:')) return undefined;
  const signed = value.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const sid = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  let valid = false;
  // Every secret is tried, so the time taken does not say which one matched.
  for (const secret of secrets) {
    if (sameSignature(signature, hmacBase64('sha256', secret, sid).replace(/=+$/, ''))) valid = true;
  }
  return valid ? sid : undefined;
}

/** True when an express-session record says its cookie expired (`cookie.expires` in the past). */
export function expressSessionExpired(data: Record<string, unknown>, now: number): boolean {
  const cookie = data['cookie'];
  const expires = typeof cookie === 'object' && cookie !== null ? (cookie as { expires?: unknown }).expires : undefined;
  if (typeof expires !== 'string' && typeof expires !== 'number') return false;
  const at = new Date(expires).getTime();
  return Number.isFinite(at) && at <= now;
}

/** Checks the express-session reader's secret option; answers the secrets as a list. */
export function expressSecrets(input: object, names: readonly string[]): readonly string[] {
  if (typeof input !== 'object' || input === null) throw new SessionConfigError('option migrateFrom is invalid: expected an object');
  checkOptionNames(input, names, { where: 'migrateFrom.' });
  return secretList('migrateFrom.secret', (input as { secret?: unknown }).secret);
}
