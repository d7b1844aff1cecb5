import { userTag, type RevokeSelection } from '@sessionware/core';
import { userIndexKey } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { BATCHED_LIST, IS_LIVE, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { SESSION_KEY_OF } from './lua-index-helpers.js';

/**
 * revoke (SPEC U4, L4): deletes each selected session of the user's index but the kept one,
 * with its index entry; answers how many of them were live at now. A kept id that is a renewal
 * pointer within its grace keeps the session it points to (SPEC P2).
 */
export const REVOKE_SCRIPT = luaScript({
  helpers: [STATE_OF, IS_LIVE, BATCHED_LIST, TAGGED_KEY_OF, SESSION_KEY_OF],
  header: `
local indexKey = KEYS[1]      -- the user's index
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local keep = ARGV[2]          -- the session id to keep ('' for none); a renewed old id within its grace keeps the renewed one
local all = ARGV[3] == '1'    -- '1': all of the user's sessions; '0': those of the handles from firstHandle
local firstHandle = 4         -- ARGV[firstHandle..]: the handles to revoke
`,
  body: `
local keepKey = keep ~= '' and sessionKeyOf(indexKey, keep)
if keepKey then
  local state, _, _, renewedTo = stateOf(keepKey, now)
  if state == 'renewed' then keep = renewedTo end
end
local fields, ids = {}, {}
if all then
  local entries = redis.call('HGETALL', indexKey)
  for i = 1, #entries, 2 do
    if string.sub(entries[i], 1, #ENTRY) == ENTRY then
      fields[#fields + 1], ids[#ids + 1] = entries[i], entries[i + 1]
    end
  end
else
  for i = firstHandle, #ARGV do
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
`,
});

/** The keys and arguments of {@link REVOKE_SCRIPT}: `userId`'s sessions of `handles` (all without), but `exceptSessionId`. */
export function revokeArguments(prefix: string, userId: string, now: number, { handles, exceptSessionId }: RevokeSelection): ScriptArguments {
  const selection = handles === undefined ? ['1'] : ['0', ...handles];
  return [1, userIndexKey(prefix, userTag(userId)), String(now), exceptSessionId ?? '', ...selection];
}
