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
  RESERVED_FOR,
  RESERVED_UNTIL,
  USER_AGENT,
  USER_ID,
} from '../layout.js';

/**
 * How many entries of a user's index each create or login checks for dead sessions: the
 * COUNT of its HSCAN. Redis answers about that many (a few more when the last bucket it reads
 * holds several; the whole index while it is a small listpack, up to
 * `hash-max-listpack-entries`, 128 by default, fields).
 */
const PRUNE_SCAN_COUNT = 16;

/** What every script starts with: the field names of the record and of the user index. */
export const FIELD_NAMES = `
local CREATED_AT, LAST_SEEN_AT, EXPIRES_AT, ABSOLUTE_EXPIRES_AT = '${CREATED_AT}', '${LAST_SEEN_AT}', '${EXPIRES_AT}', '${ABSOLUTE_EXPIRES_AT}'
local USER_ID, HANDLE, USER_AGENT = '${USER_ID}', '${HANDLE}', '${USER_AGENT}'
local AUTHENTICATED_AT, IDLE_TIMEOUT = '${AUTHENTICATED_AT}', '${IDLE_TIMEOUT}'
local RESERVED_FOR, RESERVED_UNTIL = '${RESERVED_FOR}', '${RESERVED_UNTIL}'
local VERSION, ENTRY, SCAN_CURSOR = '${INDEX_VERSION}', '${INDEX_HANDLE_PREFIX}', '${INDEX_SCAN_CURSOR}'
`;

/** `stateOf(key, now)`: 'live', 'reserved' or 'gone', the record's handle, the reservation's owner. */
export const STATE_OF = `
-- What key holds at now: 'live' (a record before both deadlines), 'reserved' (a login across
-- Cluster slots holds the id) or 'gone' (nothing, an expired record or reservation); then the
-- record's handle and the reservation's owner (or false).
local function stateOf(key, now)
  local f = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, HANDLE, RESERVED_UNTIL, RESERVED_FOR)
  local idle, absolute, reservedUntil = tonumber(f[1]), tonumber(f[2]), tonumber(f[4])
  if idle ~= nil and absolute ~= nil and now < idle and now < absolute then return 'live', f[3], f[5] end
  if reservedUntil ~= nil and now < reservedUntil then return 'reserved', f[3], f[5] end
  return 'gone', f[3], f[5]
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

/**
 * `sessionKeyOf(indexKey, id)`: the one place in Lua that reads a session id. A user index
 * lists session ids, not keys (the record format stays as it is), and a script walking it
 * must declare only the index in KEYS, so it derives each session's key from the index key,
 * as `sessionKeys()` in `layout.ts` does from the id: `<prefix>s:{<tag>}<random>` for the id
 * `<tag>.<random>`. The same hash tag, so the same Cluster slot as the declared key (SPEC S1);
 * a client `keyPrefix` is part of the index key, so it carries over.
 */
export const SESSION_KEY_OF = `
-- The key of the session id listed in indexKey: the same prefixes and hash tag. nil for an id
-- that does not carry the index's tag (never written by this store).
local function sessionKeyOf(indexKey, id)
  local base, tag = string.match(indexKey, '^(.*)u:{([^{}]*)}$')
  if base == nil or string.sub(id, 1, #tag + 1) ~= tag .. '.' then return nil end
  return base .. 's:{' .. tag .. '}' .. string.sub(id, #tag + 2)
end
`;

/** `unindex(indexKey, handle, id)`. */
export const UNINDEX = `
-- Removes the index entry of handle, if it still names the session id.
local function unindex(indexKey, handle, id)
  if redis.call('HGET', indexKey, ENTRY .. handle) == id then redis.call('HDEL', indexKey, ENTRY .. handle) end
end
`;

/** `index(indexKey, handle, id, now, keepUntil)`, after {@link SESSION_KEY_OF}, {@link IS_LIVE} and {@link BATCHED_LIST}. */
export const INDEX = `
-- Adds handle -> id to the user's index and keeps the index at least until keepUntil. On the
-- way, checks the next entries of the index (HSCAN COUNT ${PRUNE_SCAN_COUNT}, from the cursor the index
-- keeps in its field c), drops those whose sessions are not live at now and deletes such
-- sessions' expired leftovers. The work is bounded whatever the number of the user's
-- sessions, and an entry that is dead when a pass over the index starts is dropped before the
-- pass ends (SCAN returns every element present for the whole iteration): an entry outlives
-- its session at most by the rest of the pass under way and the next one (SPEC U4).
-- listUserSessions prunes the whole index. A cursor that is not one (never written by this
-- store) starts a new pass rather than failing the login.
local function index(indexKey, handle, id, now, keepUntil)
  local saved = redis.call('HGET', indexKey, SCAN_CURSOR)
  local cursor = (saved and #saved <= 19 and string.match(saved, '^%d+$')) or '0'
  local scan = redis.call('HSCAN', indexKey, cursor, 'COUNT', ${PRUNE_SCAN_COUNT})
  local entries, stale = scan[2], {}
  for i = 1, #entries, 2 do
    local field, listed = entries[i], entries[i + 1]
    if string.sub(field, 1, #ENTRY) == ENTRY and listed ~= id then
      local key = sessionKeyOf(indexKey, listed)
      if key == nil or not isLive(key, now) then
        stale[#stale + 1] = field
        if key ~= nil then redis.call('DEL', key) end
      end
    end
  end
  -- At the end of a pass (cursor 0) the field goes; the next login starts a new pass.
  if scan[1] == '0' and saved then stale[#stale + 1] = SCAN_CURSOR end
  batchedList('HDEL', indexKey, stale, 1, #stale)
  if scan[1] == '0' then
    redis.call('HSET', indexKey, ENTRY .. handle, id)
  else
    redis.call('HSET', indexKey, ENTRY .. handle, id, SCAN_CURSOR, scan[1])
  end
  if redis.call('PEXPIRETIME', indexKey) < tonumber(keepUntil) then redis.call('PEXPIREAT', indexKey, keepUntil) end
end
`;

/** `withinLimit(indexKey, now, max, refuse, exceptId)`, after {@link SESSION_KEY_OF}. */
export const ENFORCE_LIMIT = `
-- The session limit of a login (SPEC P4): counts the user's sessions in indexKey that are live
-- at now, listed under their own handle (as list does), but exceptId (a login's old session,
-- '' for none). While they are fewer than max, true. Else, with refuse, false, writing nothing;
-- without, deletes the least recently seen (ties: the oldest first) and their entries until
-- max - 1 are left, and true. Runs only for a login given a limit.
local function withinLimit(indexKey, now, max, refuse, exceptId)
  local entries, live = redis.call('HGETALL', indexKey), {}
  for i = 1, #entries, 2 do
    local field, id = entries[i], entries[i + 1]
    local key = id ~= exceptId and string.sub(field, 1, #ENTRY) == ENTRY and sessionKeyOf(indexKey, id)
    local m = key and redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, HANDLE, LAST_SEEN_AT, CREATED_AT)
    local idle, absolute = m and tonumber(m[1]), m and tonumber(m[2])
    if idle and absolute and now < idle and now < absolute and m[3] == string.sub(field, #ENTRY + 1) then
      live[#live + 1] = {key = key, field = field, seen = tonumber(m[4]) or 0, created = tonumber(m[5]) or 0}
    end
  end
  if #live < max then return true end
  if refuse then return false end
  table.sort(live, function(a, b)
    if a.seen ~= b.seen then return a.seen < b.seen end
    return a.created < b.created
  end)
  for i = 1, #live - max + 1 do
    redis.call('DEL', live[i].key)
    redis.call('HDEL', indexKey, live[i].field)
  end
  return true
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
