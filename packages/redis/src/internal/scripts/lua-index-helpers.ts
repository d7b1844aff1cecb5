/**
 * The Lua helpers of the user index (SPEC U4, P4; the field names are `FIELD_NAMES` of
 * `lua-helpers.ts`): deriving a listed session's key, adding and removing an entry with
 * login-time pruning, and the per-user session limit. Plain Lua text, listed by a script in its
 * `helpers` after those they call, like the helpers of `lua-helpers.ts`.
 */

/**
 * How many entries of a user's index each create or login checks for dead sessions: the
 * COUNT of its HSCAN. Redis answers about that many (a few more when the last bucket it reads
 * holds several; the whole index while it is a small listpack, up to
 * `hash-max-listpack-entries`, 128 by default, fields).
 */
const PRUNE_SCAN_COUNT = 16;

/** `sessionKeyOf(indexKey, id)`, after `TAGGED_KEY_OF` of `lua-helpers.ts`: the key of a session its user's index lists. */
export const SESSION_KEY_OF = `
-- The key of the session id listed in indexKey: the same prefixes and hash tag. nil for an id
-- that does not carry the index's tag (never written by this store).
local function sessionKeyOf(indexKey, id)
  local base, tag = string.match(indexKey, '^(.*)u:{([^{}]*)}$')
  return taggedKeyOf(base, tag, id)
end
`;

/** `unindex(indexKey, handle, id)`. */
export const UNINDEX = `
-- Removes the index entry of handle, if it still names the session id.
local function unindex(indexKey, handle, id)
  if redis.call('HGET', indexKey, ENTRY .. handle) == id then redis.call('HDEL', indexKey, ENTRY .. handle) end
end
`;

/** `index(indexKey, handle, id, now, keepUntil)`, after {@link SESSION_KEY_OF}, and `IS_LIVE` and `BATCHED_LIST` of `lua-helpers.ts`. */
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
