import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { UNINDEX } from './lua-helpers.js';

/**
 * load: the per-request read of a session, with its deadline slide (SPEC T2) and, for a
 * user's session, the user's change version (SPEC U2). Answers nil when the record is missing
 * or past either deadline (an expired record is deleted, with its index entry; a current
 * reservation is left); else slides the idle deadline to min(now + idleTimeoutMs,
 * absoluteExpiresAt) — the record's own idle timeout (field m:idleTimeout, a remembered login's,
 * SPEC P1) when it has one — sets lastSeenAt, moves the key's PEXPIREAT to the new deadline and
 * answers the hash as it now is as ONE string: the JSON array [field, value, …]
 * (`cjson.encode`), with for a user's session one more element at the end, the user's
 * version: the index's field v, '0' when unset. One bulk string instead of an array of them
 * is what makes the reply cheap to read: the client decodes one string and parses it with one
 * `JSON.parse`. cjson copies bytes from 0x80 up as they are (UTF-8 stays UTF-8) and escapes
 * the quote, the backslash, '/', DEL and the control characters, all of which `JSON.parse`
 * turns back into the same characters: every value comes back exactly as it was stored
 * (tested in `test/internal/load-reply.test.ts`).
 */
export const LOAD_SCRIPT = luaScript({
  helpers: [UNINDEX],
  header: `
local key = KEYS[1]           -- the session
local indexKey = KEYS[2]      -- its user's index; nil for an id without a user tag
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local lastSeenAt = ARGV[1]    -- the same, as the text the record stores
local expiresAt = ARGV[2]     -- the slid idle deadline, now + idleTimeoutMs as a whole number; capped below (or the record's own)
local id = ARGV[3]            -- the session id, as its index entry lists it
`,
  body: `
local fields = redis.call('HGETALL', key)
local idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil, ownIdle
for i = 1, #fields, 2 do
  local field = fields[i]
  if field == EXPIRES_AT then
    idle, expiresIndex = tonumber(fields[i + 1]), i + 1
  elseif field == ABSOLUTE_EXPIRES_AT then
    absolute = tonumber(fields[i + 1])
  elseif field == LAST_SEEN_AT then
    lastSeenIndex = i + 1
  elseif field == USER_ID then
    hasUser = true
  elseif field == HANDLE then
    handle = fields[i + 1]
  elseif field == RESERVED_UNTIL then
    reservedUntil = tonumber(fields[i + 1])
  elseif field == IDLE_TIMEOUT then
    ownIdle = tonumber(fields[i + 1])
  end
end
if idle == nil or absolute == nil or lastSeenIndex == nil or now >= idle or now >= absolute then
  if #fields > 0 and not (reservedUntil ~= nil and now < reservedUntil) then
    redis.call('DEL', key)
    if indexKey ~= nil and handle ~= nil then unindex(indexKey, handle, id) end
  end
  return false
end
if hasUser and indexKey == nil then
  return redis.error_reply('ERR sessionware: a session with a user under an id without a user tag')
end
-- The slid deadline comes as text: formatting a number is not free (docs/perf-notes.md).
if ownIdle ~= nil then expiresAt = string.format('%.0f', math.ceil(now + ownIdle)) end
if absolute < tonumber(expiresAt) then expiresAt = string.format('%.0f', absolute) end
redis.call('HSET', key, LAST_SEEN_AT, lastSeenAt, EXPIRES_AT, expiresAt)
redis.call('PEXPIREAT', key, expiresAt)
fields[lastSeenIndex] = lastSeenAt
fields[expiresIndex] = expiresAt
if hasUser then fields[#fields + 1] = redis.call('HGET', indexKey, VERSION) or '0' end
return cjson.encode(fields)
`,
});

/** The keys and arguments of {@link LOAD_SCRIPT}: a load of `id` at `now` that slides the idle deadline by `idleTimeoutMs`. */
export function loadArguments(prefix: string, id: string, now: number, idleTimeoutMs: number): ScriptArguments {
  const keys = keyList(sessionKeys(prefix, id));
  return [keys.length, ...keys, String(now), String(Math.ceil(now + idleTimeoutMs)), id];
}
