import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { CURRENT_OF, RENEWED_KEY_OF, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { UNINDEX } from './lua-index-helpers.js';

/**
 * remove: `destroy` of a user's session. Deletes the session and its index entry; answers
 * 'removed' when it was live, else 'missing'. Given a renewed id within its grace, it removes
 * the session it was renewed to and the pointer (SPEC P2: a logout with the old cookie).
 */
export const REMOVE_SCRIPT = luaScript({
  helpers: [STATE_OF, TAGGED_KEY_OF, RENEWED_KEY_OF, CURRENT_OF, UNINDEX],
  header: `
local given = KEYS[1]         -- the session, or a renewal pointer to it
local indexKey = KEYS[2]      -- its user's index; nil for an id without a user tag
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local id = ARGV[2]            -- the session id, as its index entry lists it
`,
  body: `
local key, state, handle, _, renewedTo = currentOf(given, now)
if renewedTo then
  redis.call('DEL', key, given)
  id = renewedTo
else
  redis.call('DEL', key)
end
if indexKey ~= nil and handle then unindex(indexKey, handle, id) end
if state == 'live' then return 'removed' end
return 'missing'
`,
});

/** The keys and arguments of {@link REMOVE_SCRIPT}: remove the session `id` at `now`. */
export function removeArguments(prefix: string, id: string, now: number): ScriptArguments {
  const keys = keyList(sessionKeys(prefix, id));
  return [keys.length, ...keys, String(now), id];
}
