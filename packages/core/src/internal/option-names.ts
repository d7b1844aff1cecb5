import { SessionConfigError } from '../errors.js';

/**
 * The one table of hints (SPEC O1): option names of express-session and koa-session, keyed by
 * their path, and what to write in sessionware instead. The README's migration table is this.
 */
export const OPTION_HINTS: Readonly<Record<string, string>> = Object.freeze({
  secret: '`secrets` (a list or a comma-separated string; the first signs, all verify)',
  resave: 'nothing to set: only changed keys are written',
  saveUninitialized: 'nothing to set: a session is stored only once something is written to it',
  rolling: "`cookie: { expiry: 'persistent' }` (the idle deadline slides on every request)",
  genid: 'nothing to set: session ids are 256 random bits from a CSPRNG',
  name: "`cookie: { name: '…' }`",
  key: "`cookie: { name: '…' }`",
  proxy: "the framework's own setting: Express `app.set('trust proxy', …)`, Koa `app.proxy = true`",
  unset: '`req.session = null` / `ctx.session = null` or `session.destroy()` end the session',
  maxAge: "`idleTimeout` / `absoluteTimeout`, plus `cookie: { expiry: 'persistent' }` for a cookie that outlives the browser",
  'cookie.maxAge': "`idleTimeout` / `absoluteTimeout`, plus `cookie: { expiry: 'persistent' }` for a cookie that outlives the browser",
  'cookie.expires': "`absoluteTimeout`, plus `cookie: { expiry: 'persistent' }` for a cookie that outlives the browser",
  'cookie.httpOnly': 'nothing to set: the session cookie is always HttpOnly, the indicator never',
  httpOnly: 'nothing to set: the session cookie is always HttpOnly, the indicator never',
  renew: 'nothing to set: the idle deadline slides on every request (`idleTimeout`)',
  signed: 'nothing to set: the session cookie is always signed (`secrets`)',
  'cookie.signed': 'nothing to set: the session cookie is always signed (`secrets`)',
  overwrite: 'nothing to set: each cookie is written once per response',
  encode: 'nothing to set: the cookie holds only a signed id; the data lives in the store',
  decode: 'nothing to set: the cookie holds only a signed id; the data lives in the store',
  autoCommit: 'nothing to set: changes are committed before the response headers go out',
  externalKey: 'not supported: the session id travels in the session cookie only',
  ContextStore: '`store` (a Store: `MemoryStore` or `redisStore(client)`)',
  valid: '`loadUser` (answer `null` to end a user\'s sessions)',
  beforeSave: 'not supported: change the session in the handler',
  sameSite: "`cookie: { sameSite: 'lax' | 'strict' | 'none' }`",
  secure: "`cookie: { secure: 'auto' | true | false }`",
  domain: "`cookie: { domain: '…' }`",
  path: "`cookie: { path: '/…' }`",
});

/** Levenshtein distance, stopping early past `limit` (names are short). */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** The nearest known name within edit distance 2 (case ignored), for "did you mean". */
function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = name.length <= 4 ? 2 : 3;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase(), 2);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Where the names being checked sit: the path prefix (`cookie.`) and whether the hints apply. */
export interface OptionNamesContext {
  /** Prefix of the reported path, e.g. `cookie.`. @default '' */
  where?: string;
  /** Apply {@link OPTION_HINTS} (the session options only). @default false */
  hints?: boolean;
}

/**
 * Throws {@link SessionConfigError} for the first own property of `input` not in `known`
 * (SPEC O1): `option cookie.maxAge is unknown: …`, with the hint of {@link OPTION_HINTS} (`` `rolling` → … ``), else
 * "did you mean" a name within edit distance 2, else the list of known names.
 */
export function checkOptionNames(input: object, known: readonly string[], context: OptionNamesContext = {}): void {
  const where = context.where ?? '';
  for (const name of Object.keys(input)) {
    if (known.includes(name)) continue;
    const path = where + name;
    const hint = context.hints === true ? OPTION_HINTS[path] : undefined;
    const guess = hint === undefined ? nearest(name, known) : undefined;
    const detail = hint !== undefined ? `\`${path}\` → ${hint}` : guess !== undefined ? `did you mean \`${where}${guess}\`?` : `expected one of ${known.join(', ')}`;
    throw new SessionConfigError(`option ${path} is unknown: ${detail}`);
  }
}
