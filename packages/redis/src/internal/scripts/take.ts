import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { CURRENT_OF, DATA_FIELDS, RENEWED_KEY_OF, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { UNINDEX } from './lua-index-helpers.js';

/**
 * take: the second step of a login across Cluster slots. Deletes the session and its index
 * entry, as remove does, and answers in the same atomic step what it held: {'taken', field,
 * value, …} with the session's data fields when it was live, else {'missing'}. The data as
 * stored at that moment goes to the new session, and a write to the old id after it finds
 * nothing (SPEC T8). Given a renewed id within its grace, it takes the session it was renewed
 * to, and deletes the pointer (SPEC P2).
 */
export const TAKE_SCRIPT = luaScript({
  helpers: [STATE_OF, TAGGED_KEY_OF, RENEWED_KEY_OF, CURRENT_OF, DATA_FIELDS, UNINDEX],
  header: `
local given = KEYS[1]         -- the old session, or a renewal pointer to it
local indexKey = KEYS[2]      -- its user's index; nil for an id without a user tag
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local id = ARGV[2]            -- the old session id, as its index entry lists it
`,
  body: `
local key, state, handle, _, renewedTo = currentOf(given, now)
local taken = state == 'live' and dataFields(redis.call('HGETALL', key), {})
redis.call('DEL', key)
if renewedTo then
  redis.call('DEL', given)
  id = renewedTo
end
if indexKey ~= nil and handle then unindex(indexKey, handle, id) end
if not taken then return {'missing'} end
table.insert(taken, 1, 'taken')
return taken
`,
});

/** The keys and arguments of {@link TAKE_SCRIPT}: take the session `id` at `now`. */
export function takeArguments(prefix: string, id: string, now: number): ScriptArguments {
  const keys = keyList(sessionKeys(prefix, id));
  return [keys.length, ...keys, String(now), id];
}
