import { sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';

/**
 * peek (SPEC P5): a live session's idle and absolute deadlines and its authenticatedAt, read
 * with one HMGET and nothing written: no slide, no lastSeenAt, no PEXPIREAT, and an expired
 * leftover is left to its key's own expiry. Answers nil when the record is missing or past
 * either deadline at now (a reservation has no deadlines, so it is nil too).
 */
export const PEEK_SCRIPT = luaScript({
  helpers: [],
  header: `
local key = KEYS[1]           -- the session
local now = tonumber(ARGV[1]) -- the app's clock (ms)
`,
  body: `
local f = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, AUTHENTICATED_AT)
local idle, absolute = tonumber(f[1]), tonumber(f[2])
if idle == nil or absolute == nil or now >= idle or now >= absolute then return false end
return {f[1], f[2], f[3]}
`,
});

/** The keys and arguments of {@link PEEK_SCRIPT}: the deadlines of `id` at `now`. */
export function peekArguments(prefix: string, id: string, now: number): ScriptArguments {
  return [1, sessionKeys(prefix, id).sessionKey, String(now)];
}
