import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { DATA_FIELDS, STATE_OF, UNINDEX } from './lua-helpers.js';

/**
 * take: the second step of a login across Cluster slots. Deletes the session and its index
 * entry, as remove does, and answers in the same atomic step what it held: {'taken', field,
 * value, …} with the session's data fields when it was live, else {'missing'}. The data as
 * stored at that moment goes to the new session, and a write to the old id after it finds
 * nothing (SPEC T8).
 */
export const TAKE_SCRIPT = luaScript({
  helpers: [STATE_OF, DATA_FIELDS, UNINDEX],
  header: `
local key = KEYS[1]           -- the old session
local indexKey = KEYS[2]      -- its user's index; nil for an id without a user tag
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local id = ARGV[2]            -- the old session id, as its index entry lists it
`,
  body: `
local state, handle = stateOf(key, now)
local taken = state == 'live' and dataFields(redis.call('HGETALL', key), {})
redis.call('DEL', key)
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
