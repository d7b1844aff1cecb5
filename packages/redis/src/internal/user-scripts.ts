/**
 * The scripts of a user's index (SPEC U2, U4): bump the change version, list and revoke the
 * user's sessions. Each walks only that user's index and sessions, all in one hash tag.
 */
import { prelude } from './lua-prelude.js';

/**
 * markUserChanged: KEYS[1] the user's index; ARGV retentionMs. Bumps its version field and
 * makes sure the index lives at least retentionMs more, so a login that read the user just
 * before the change still sees it (USER_CHANGE_RETENTION_MS) — an index without sessions is
 * gone after that, never a key without expiry. Answers the new version.
 */
export const MARK_CHANGED_SCRIPT = `${prelude()}
local version = redis.call('HINCRBY', KEYS[1], VERSION, 1)
local retain = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < retain then redis.call('PEXPIRE', KEYS[1], retain) end
return version
`;

/**
 * list: KEYS[1] the user's index; ARGV now. Answers {handle, id, createdAt, lastSeenAt,
 * userAgent or nil} per live session of the index; drops the entries of sessions that are
 * missing, past a deadline at now or under another handle, and deletes such expired
 * leftovers (SPEC U4).
 */
export const LIST_SCRIPT = `${prelude('sessionKeyOf', 'batchedList')}
local indexKey, now = KEYS[1], tonumber(ARGV[1])
local entries = redis.call('HGETALL', indexKey)
local stale, rows = {}, {}
for i = 1, #entries, 2 do
  local field, id = entries[i], entries[i + 1]
  if string.sub(field, 1, #ENTRY) == ENTRY then
    local handle = string.sub(field, #ENTRY + 1)
    local key = sessionKeyOf(indexKey, id)
    local m = key ~= nil and redis.call('HMGET', key, CREATED_AT, LAST_SEEN_AT, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, USER_AGENT, HANDLE)
    local idle, absolute = m and tonumber(m[3]), m and tonumber(m[4])
    if idle and absolute and now < idle and now < absolute and m[6] == handle then
      rows[#rows + 1] = {handle, id, m[1], m[2], m[5]}
    else
      stale[#stale + 1] = field
      if m and m[1] then redis.call('DEL', key) end
    end
  end
end
batchedList('HDEL', indexKey, stale, 1, #stale)
return rows
`;

/**
 * revoke: KEYS[1] the user's index; ARGV now, the session id to keep ('' for none), '1' for
 * all of the user's sessions or '0' for the handles that follow. Deletes each selected session
 * but the kept one, with its index entry; answers how many of them were live at now.
 */
export const REVOKE_SCRIPT = `${prelude('sessionKeyOf', 'isLive', 'batchedList')}
local indexKey, now, keep = KEYS[1], tonumber(ARGV[1]), ARGV[2]
local fields, ids = {}, {}
if ARGV[3] == '1' then
  local entries = redis.call('HGETALL', indexKey)
  for i = 1, #entries, 2 do
    if string.sub(entries[i], 1, #ENTRY) == ENTRY then
      fields[#fields + 1], ids[#ids + 1] = entries[i], entries[i + 1]
    end
  end
else
  for i = 4, #ARGV do
    local id = redis.call('HGET', indexKey, ENTRY .. ARGV[i])
    if id then fields[#fields + 1], ids[#ids + 1] = ENTRY .. ARGV[i], id end
  end
end
local revoked, dropped = 0, {}
for i = 1, #fields do
  if ids[i] ~= keep then
    local key = sessionKeyOf(indexKey, ids[i])
    if key ~= nil then
      if isLive(key, now) then revoked = revoked + 1 end
      redis.call('DEL', key)
    end
    dropped[#dropped + 1] = fields[i]
  end
end
batchedList('HDEL', indexKey, dropped, 1, #dropped)
return revoked
`;
