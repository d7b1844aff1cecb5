import { userTag } from '@sessionware/core';
import { userIndexKey } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { BATCHED_LIST, TAGGED_KEY_OF } from './lua-helpers.js';
import { SESSION_KEY_OF } from './lua-index-helpers.js';

/**
 * list (SPEC U4, P3): answers {handle, id, createdAt, lastSeenAt, userAgent or nil, authenticatedAt or nil} per live
 * session of the user's index; drops the entries of sessions that are missing, past a deadline
 * at now or under another handle, and deletes such expired leftovers.
 */
export const LIST_SCRIPT = luaScript({
  helpers: [BATCHED_LIST, TAGGED_KEY_OF, SESSION_KEY_OF],
  header: `
local indexKey = KEYS[1]      -- the user's index
local now = tonumber(ARGV[1]) -- the app's clock (ms)
`,
  body: `
local entries = redis.call('HGETALL', indexKey)
local stale, rows = {}, {}
for i = 1, #entries, 2 do
  local field, id = entries[i], entries[i + 1]
  if string.sub(field, 1, #ENTRY) == ENTRY then
    local handle = string.sub(field, #ENTRY + 1)
    local key = sessionKeyOf(indexKey, id)
    local m = key ~= nil and redis.call('HMGET', key, CREATED_AT, LAST_SEEN_AT, EXPIRES_AT, ABSOLUTE_EXPIRES_AT, USER_AGENT, HANDLE, AUTHENTICATED_AT)
    local idle, absolute = m and tonumber(m[3]), m and tonumber(m[4])
    if idle and absolute and now < idle and now < absolute and m[6] == handle then
      rows[#rows + 1] = {handle, id, m[1], m[2], m[5], m[7]}
    else
      stale[#stale + 1] = field
      if m and m[1] then redis.call('DEL', key) end
    end
  end
end
batchedList('HDEL', indexKey, stale, 1, #stale)
return rows
`,
});

/** The keys and arguments of {@link LIST_SCRIPT}: the live sessions of `userId` at `now`. */
export function listArguments(prefix: string, userId: string, now: number): ScriptArguments {
  return [1, userIndexKey(prefix, userTag(userId)), String(now)];
}
