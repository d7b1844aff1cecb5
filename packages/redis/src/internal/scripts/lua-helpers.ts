/**
 * What the store's Lua scripts share: the field names, and helper functions as plain Lua text
 * that a script lists in its `helpers` (see `luaScript()` in `../script.ts`), each after the
 * helpers it calls (tested in `test/internal/script-text.test.ts`). A script lists only the
 * helpers it uses, since Redis defines them again on every call (see docs/perf-notes.md).
 *
 * Liveness is judged against the `now` the caller passes (the app's clock, SPEC T2), from the
 * record's own deadline fields; the key's PEXPIREAT at the earlier deadline only lets Redis
 * reclaim the memory of abandoned sessions. `unpack` has a stack limit, so the batched helpers
 * send long lists 1000 at a time.
 */
import {
  ABSOLUTE_EXPIRES_AT,
  AUTHENTICATED_AT,
  CREATED_AT,
  DATA_FIELD_PREFIX,
  EXPIRES_AT,
  HANDLE,
  IDLE_TIMEOUT,
  INDEX_HANDLE_PREFIX,
  INDEX_SCAN_CURSOR,
  INDEX_VERSION,
  LAST_SEEN_AT,
  RENEWED_AT,
  RENEWED_TO,
  RENEWED_UNTIL,
  RESERVED_FOR,
  RESERVED_UNTIL,
  USER_AGENT,
  USER_ID,
} from '../layout.js';

/** What every script starts with: the field names of the record and of the user index. */
export const FIELD_NAMES = `
local CREATED_AT, LAST_SEEN_AT, EXPIRES_AT, ABSOLUTE_EXPIRES_AT = '${CREATED_AT}', '${LAST_SEEN_AT}', '${EXPIRES_AT}', '${ABSOLUTE_EXPIRES_AT}'
local USER_ID, HANDLE, USER_AGENT = '${USER_ID}', '${HANDLE}', '${USER_AGENT}'
local AUTHENTICATED_AT, IDLE_TIMEOUT = '${AUTHENTICATED_AT}', '${IDLE_TIMEOUT}'
local RESERVED_FOR, RESERVED_UNTIL = '${RESERVED_FOR}', '${RESERVED_UNTIL}'
local RENEWED_AT, RENEWED_TO, RENEWED_UNTIL = '${RENEWED_AT}', '${RENEWED_TO}', '${RENEWED_UNTIL}'
local VERSION, ENTRY, SCAN_CURSOR = '${INDEX_VERSION}', '${INDEX_HANDLE_PREFIX}', '${INDEX_SCAN_CURSOR}'
`;

/** `stateOf(key, now)`: 'live', 'reserved', 'renewed' or 'gone', the record's handle, the reservation's owner, the renewed id. */
export const STATE_OF = `
-- What key holds at now: 'live' (a record before both deadlines), 'reserved' (a login across
-- Cluster slots holds the id), 'renewed' (a renewal pointer within its grace) or 'gone'
-- (nothing, an expired record, reservation or pointer); then the record's handle, the
-- reservation's owner and the id the pointer leads to (or false).
local function stateOf(key, now)
  local f = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, HANDLE, RESERVED_UNTIL, RESERVED_FOR, RENEWED_UNTIL, RENEWED_TO)
  local idle, absolute, reservedUntil, renewedUntil = tonumber(f[1]), tonumber(f[2]), tonumber(f[4]), tonumber(f[6])
  if idle ~= nil and absolute ~= nil and now < idle and now < absolute then return 'live', f[3], f[5], false end
  if reservedUntil ~= nil and now < reservedUntil then return 'reserved', f[3], f[5], false end
  if renewedUntil ~= nil and now < renewedUntil and f[7] then return 'renewed', f[3], f[5], f[7] end
  return 'gone', f[3], f[5], false
end
`;

/**
 * `taggedKeyOf(base, tag, id)`: the one place in Lua that reads a session id. A script that
 * meets a session id in a hash (a user index entry, a renewal pointer) cannot declare that
 * session's key up front, so it derives it, as `sessionKeys()` in `layout.ts` does from the
 * id: `<prefix>s:{<tag>}<random>` for the id `<tag>.<random>`. The same hash tag, so the same
 * Cluster slot as the declared key it came from (SPEC S1); a client `keyPrefix` is part of
 * `base`, so it carries over.
 */
export const TAGGED_KEY_OF = `
-- The session key of id under base (the key prefix) when id carries tag; nil otherwise (an
-- id this store never writes there).
local function taggedKeyOf(base, tag, id)
  if base == nil or string.sub(id, 1, #tag + 1) ~= tag .. '.' then return nil end
  return base .. 's:{' .. tag .. '}' .. string.sub(id, #tag + 2)
end
`;

/** `renewedKeyOf(key, id)`, after {@link TAGGED_KEY_OF}. */
export const RENEWED_KEY_OF = `
-- The key of the session id that the session key key was renewed to: the same prefixes and
-- hash tag, so the same Cluster slot (SPEC P2, S1). nil for an id without key's tag.
local function renewedKeyOf(key, id)
  local base, tag = string.match(key, '^(.*)s:{([^{}]*)}[^{}]*$')
  return taggedKeyOf(base, tag, id)
end
`;

/** `currentOf(key, now)`, after {@link STATE_OF} and {@link RENEWED_KEY_OF}. */
export const CURRENT_OF = `
-- What a call given the session key key acts on (SPEC P2): key, its state, handle and
-- reservation owner, and false; or, while key is a renewal pointer within its grace, the same
-- of the key of the id it was renewed to, and that id. One hop: a pointer's target is never
-- followed again.
local function currentOf(key, now)
  local state, handle, owner, renewedTo = stateOf(key, now)
  local current = state == 'renewed' and renewedKeyOf(key, renewedTo)
  if not current then return key, state, handle, owner, false end
  local currentState, currentHandle, currentOwner = stateOf(current, now)
  return current, currentState, currentHandle, currentOwner, renewedTo
end
`;

/** `isFree(key, now, token)`, after {@link STATE_OF}. */
export const IS_FREE = `
-- Whether create or replace may write a new record at key: nothing live there, and no
-- reservation but the one of token ('' for none).
local function isFree(key, now, token)
  local state, _, owner = stateOf(key, now)
  return state == 'gone' or (state == 'reserved' and token ~= '' and owner == token)
end
`;

/** `isLive(key, now)`. */
export const IS_LIVE = `
-- True when the hash at key holds a record whose two deadlines are both after now.
local function isLive(key, now)
  local deadlines = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT)
  local idle, absolute = tonumber(deadlines[1]), tonumber(deadlines[2])
  return idle ~= nil and absolute ~= nil and now < idle and now < absolute
end
`;

/** `batchedList(command, key, list, first, last)`. */
export const BATCHED_LIST = `
-- Runs command on key with list[first..last] as its arguments, 1000 at a time.
local function batchedList(command, key, list, first, last)
  local batch = {}
  for i = first, last do
    batch[#batch + 1] = list[i]
    if #batch == 1000 then
      redis.call(command, key, unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then redis.call(command, key, unpack(batch)) end
end
`;

/** `batched(command, key, first, last)` over ARGV, after {@link BATCHED_LIST}. */
export const BATCHED = `
-- Runs command on key with ARGV[first..last] as its arguments, 1000 at a time.
local function batched(command, key, first, last)
  batchedList(command, key, ARGV, first, last)
end
`;

/** `dataFields(hash, skip)`. */
export const DATA_FIELDS = `
-- The data fields (${DATA_FIELD_PREFIX}…) of a session hash as HGETALL gives it, with their values, as one
-- field, value list; fields that are keys of skip are left out.
local function dataFields(hash, skip)
  local fields = {}
  for i = 1, #hash, 2 do
    local field = hash[i]
    if string.sub(field, 1, ${DATA_FIELD_PREFIX.length}) == '${DATA_FIELD_PREFIX}' and not skip[field] then
      fields[#fields + 1] = field
      fields[#fields + 1] = hash[i + 1]
    end
  end
  return fields
end
`;

/** `write(key, expireAt, first)`, after {@link BATCHED}. */
export const WRITE = `
-- Replaces whatever key holds with the record in ARGV[first..], expiring at expireAt.
local function write(key, expireAt, first)
  batched('HSET', key, first, #ARGV)
  redis.call('PEXPIREAT', key, expireAt)
end
`;
