import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { RENEWED_KEY_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { UNINDEX } from './lua-index-helpers.js';

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
 *
 * Given a renewed id within its grace (a renewal pointer, SPEC P2), it loads the session that
 * id was renewed to, in the same slot, and its reply names it: one more pair, the field
 * m:renewedTo and the current id, before the user's version. Only a hash that is no record
 * costs the second HGETALL.
 */
export const LOAD_SCRIPT = luaScript({
  helpers: [TAGGED_KEY_OF, RENEWED_KEY_OF, UNINDEX],
  header: `
local key = KEYS[1]           -- the session, or a renewal pointer to it
local indexKey = KEYS[2]      -- its user's index; nil for an id without a user tag
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local lastSeenAt = ARGV[1]    -- the same, as the text the record stores
local expiresAt = ARGV[2]     -- the slid idle deadline, now + idleTimeoutMs as a whole number; capped below (or the record's own)
local id = ARGV[3]            -- the session id, as its index entry lists it
`,
  body: `
-- One pass over the hash: the fields the load reads, and where the two it rewrites are.
local function scan(fields)
  local idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil, ownIdle, renewedTo, renewedUntil
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
    elseif field == RENEWED_TO then
      renewedTo = fields[i + 1]
    elseif field == RENEWED_UNTIL then
      renewedUntil = tonumber(fields[i + 1])
    end
  end
  return idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil, ownIdle, renewedTo, renewedUntil
end
local fields = redis.call('HGETALL', key)
local idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil, ownIdle, renewedTo, renewedUntil = scan(fields)
local currentId = false
local renewedKey = idle == nil and renewedTo and renewedUntil and now < renewedUntil and renewedKeyOf(key, renewedTo)
if renewedKey then
  -- A renewed id within its grace: the session it was renewed to (SPEC P2), never a second hop.
  key, id, currentId = renewedKey, renewedTo, renewedTo
  fields = redis.call('HGETALL', key)
  idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil, ownIdle, renewedTo, renewedUntil = scan(fields)
end
if idle == nil or absolute == nil or lastSeenIndex == nil or now >= idle or now >= absolute then
  local held = (reservedUntil ~= nil and now < reservedUntil) or (renewedUntil ~= nil and now < renewedUntil)
  if #fields > 0 and not held then
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
if currentId then
  fields[#fields + 1] = RENEWED_TO
  fields[#fields + 1] = currentId
end
if hasUser then fields[#fields + 1] = redis.call('HGET', indexKey, VERSION) or '0' end
return cjson.encode(fields)
`,
});

/** The keys and arguments of {@link LOAD_SCRIPT}: a load of `id` at `now` that slides the idle deadline by `idleTimeoutMs`. */
export function loadArguments(prefix: string, id: string, now: number, idleTimeoutMs: number): ScriptArguments {
  const keys = keyList(sessionKeys(prefix, id));
  return [keys.length, ...keys, String(now), String(Math.ceil(now + idleTimeoutMs)), id];
}
