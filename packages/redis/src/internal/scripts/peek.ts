import { sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { RENEWED_KEY_OF, TAGGED_KEY_OF } from './lua-helpers.js';

/**
 * peek (SPEC P5): a live session's idle and absolute deadlines and its authenticatedAt, read
 * with one HMGET and nothing written: no slide, no lastSeenAt, no PEXPIREAT, and an expired
 * leftover is left to its key's own expiry. Answers nil when the record is missing or past
 * either deadline at now (a reservation has no deadlines, so it is nil too). Given a renewed id
 * within its grace, it reads the session that id was renewed to (SPEC P2); only then does it
 * cost a second HMGET.
 */
export const PEEK_SCRIPT = luaScript({
  helpers: [TAGGED_KEY_OF, RENEWED_KEY_OF],
  header: `
local key = KEYS[1]           -- the session, or a renewal pointer to it
local now = tonumber(ARGV[1]) -- the app's clock (ms)
`,
  body: `
local f = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, AUTHENTICATED_AT, RENEWED_TO, RENEWED_UNTIL)
local renewedUntil = tonumber(f[5])
local renewedKey = f[1] == false and f[4] and renewedUntil and now < renewedUntil and renewedKeyOf(key, f[4])
if renewedKey then f = redis.call('HMGET', renewedKey, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, AUTHENTICATED_AT) end
local idle, absolute = tonumber(f[1]), tonumber(f[2])
if idle == nil or absolute == nil or now >= idle or now >= absolute then return false end
return {f[1], f[2], f[3]}
`,
});

/** The keys and arguments of {@link PEEK_SCRIPT}: the deadlines of `id` at `now`. */
export function peekArguments(prefix: string, id: string, now: number): ScriptArguments {
  return [1, sessionKeys(prefix, id).sessionKey, String(now)];
}
