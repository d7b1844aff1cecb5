import { randomBytes } from 'node:crypto';
import { SessionConfigError } from '../errors.js';

/** The shortest secret accepted in production, in bytes (SPEC K3). */
export const MIN_SECRET_BYTES = 32;

const PLACEHOLDERS = [
  'secret', 'changeme', 'changethis', 'keyboardcat', 'password', 'default', 'example',
  'sessionsecret', 'mysecret', 'yoursecret', 'supersecret', 'topsecret', 'test', 'testing',
  'development', 'dev', 'xxx', 'todo', 'replaceme', 'insertsecrethere', 'abc', 'qwerty', '123',
];

/** True for a known placeholder, also when repeated or padded to reach the length rule. */
export function isPlaceholderSecret(secret: string): boolean {
  if (new Set(secret).size < 6) return true;
  const folded = secret.toLowerCase().replace(/[\s\-_.]/g, '');
  return PLACEHOLDERS.some((word) => folded === word || folded.replaceAll(word, '').length < MIN_SECRET_BYTES / 2);
}

let generatedSecret: string | undefined;

/**
 * True only when NODE_ENV is exactly `development` or `test` (SPEC K3, fail closed): unset,
 * misspelled or any other value (`prod`, `staging`, `Production`) is production.
 */
export function isDevelopmentEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const mode = env['NODE_ENV'];
  return mode === 'development' || mode === 'test';
}

/** How the message names the environment: `NODE_ENV is unset` or `NODE_ENV is "prod"`. */
function modeOf(env: Readonly<Record<string, string | undefined>>): string {
  const mode = env['NODE_ENV'];
  return mode === undefined ? 'NODE_ENV is unset' : `NODE_ENV is ${JSON.stringify(mode)}`;
}

/** Where a problem with the secrets is reported in development and test. */
export interface SecretWarnings {
  warn(message: string): void;
}

const HOW_TO_FIX =
  `set option secrets or the SESSION_SECRETS environment variable (comma-separated, first signs) ` +
  `to random strings of at least ${MIN_SECRET_BYTES} bytes, e.g. \`openssl rand -base64 48\``;

/**
 * Resolves the signing secrets (SPEC K2, K3): an ordered list, or a comma-separated string.
 * Missing: the `SESSION_SECRETS` environment variable. Still missing, placeholder or short:
 * throws, unless `production` is false (NODE_ENV exactly development or test, see
 * {@link isDevelopmentEnv}), where a missing one is generated once per process with a warning.
 */
export function resolveSecrets(
  input: string | readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
  production: boolean,
  warnings: SecretWarnings,
): readonly string[] {
  const source = input ?? env['SESSION_SECRETS'];
  if (source !== undefined && typeof source !== 'string' && !Array.isArray(source)) {
    throw new SessionConfigError('option secrets is invalid: expected a string or an array of strings');
  }
  const list = (typeof source === 'string' ? source.split(',') : (source ?? []))
    .map((secret: unknown) => {
      if (typeof secret !== 'string') {
        throw new SessionConfigError('option secrets is invalid: every secret must be a string');
      }
      return secret.trim();
    })
    .filter((secret) => secret.length > 0);

  if (list.length === 0) {
    if (production) {
      throw new SessionConfigError(
        `option secrets is missing: required unless NODE_ENV is development or test (${modeOf(env)}, ` +
          `treated as production); ${HOW_TO_FIX}. A random per-boot secret would log every user out on each restart.`,
      );
    }
    if (generatedSecret === undefined) {
      generatedSecret = randomBytes(48).toString('base64url');
      warnings.warn(
        'sessionware: no session secret configured (option secrets / SESSION_SECRETS); using a ' +
          'random one for this process. Sessions will not survive a restart. ' + HOW_TO_FIX + '.',
      );
    }
    return Object.freeze([generatedSecret]);
  }

  list.forEach((secret, index) => {
    const problem = Buffer.byteLength(secret) < MIN_SECRET_BYTES
      ? `is shorter than ${MIN_SECRET_BYTES} bytes`
      : isPlaceholderSecret(secret) ? 'is a known placeholder or too repetitive' : undefined;
    if (problem === undefined) return;
    const message = `option secrets is invalid: secret #${index + 1} ${problem}; ${HOW_TO_FIX}`;
    if (production) throw new SessionConfigError(`${message} (${modeOf(env)}, treated as production)`);
    warnings.warn(`sessionware: ${message} (accepted only because NODE_ENV is development or test)`);
  });
  return Object.freeze(list);
}
