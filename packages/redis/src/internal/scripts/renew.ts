import { parseSessionId } from '@sessionware/core';
import { sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments, type ScriptContext } from '../script.js';
import { IS_FREE, IS_LIVE, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { SESSION_KEY_OF, UNINDEX } from './lua-index-helpers.js';

/**
 * renew (SPEC P2): a user's session gets a new id of the same user, so the same hash tag and
 * Cluster slot (SPEC S1). When the old key holds a live record and the new key is free, the
 * hash is RENAMEd as it is (every field and its PEXPIREAT move unchanged) and given
 * m:renewedAt; the old key becomes a renewal pointer (m:renewedTo, m:renewedUntil, expiring at
 * the end of the grace); the session's index entry names the new id; the answer is 'renewed'.
 * A pointer within its grace answers {'renewedTo', id} when that session is still live (another
 * request renewed it first), else 'missing'; a taken new key answers 'exists'; anything else
 * 'missing' (an expired leftover is deleted, with its index entry). Only 'renewed' writes.
 */
export const RENEW_SCRIPT = luaScript({
  helpers: [STATE_OF, IS_FREE, IS_LIVE, TAGGED_KEY_OF, SESSION_KEY_OF, UNINDEX],
  header: `
local oldKey = KEYS[1]            -- the session
local newKey = KEYS[2]            -- its key under the new id
local indexKey = KEYS[3]          -- its user's index
local now = tonumber(ARGV[1])     -- the app's clock (ms)
local renewedAt = ARGV[2]         -- the same, as the text the record stores
local renewedUntil = ARGV[3]      -- the end of the old id's grace, now + graceMs, whole milliseconds
local oldId = ARGV[4]             -- the old session id, as the index entry lists it
local newId = ARGV[5]             -- the new session id
`,
  body: `
local state, handle, _, renewedTo = stateOf(oldKey, now)
if state == 'renewed' then
  local current = sessionKeyOf(indexKey, renewedTo)
  if current ~= nil and isLive(current, now) then return {'renewedTo', renewedTo} end
  return 'missing'
end
if state ~= 'live' then
  if state == 'gone' then
    redis.call('DEL', oldKey)
    if handle then unindex(indexKey, handle, oldId) end
  end
  return 'missing'
end
if not isFree(newKey, now, '') then return 'exists' end
redis.call('RENAME', oldKey, newKey)
redis.call('HSET', newKey, RENEWED_AT, renewedAt)
redis.call('HSET', oldKey, RENEWED_TO, newId, RENEWED_UNTIL, renewedUntil)
redis.call('PEXPIREAT', oldKey, renewedUntil)
if handle then redis.call('HSET', indexKey, ENTRY .. handle, newId) end
return 'renewed'
`,
});

/** What a renewal moves. */
export interface RenewInput extends ScriptContext {
  readonly oldId: string;
  readonly newId: string;
  /** How long the old id leads to the new one. */
  readonly graceMs: number;
}

/**
 * The keys and arguments of {@link RENEW_SCRIPT}. Throws, before anything is sent, unless both
 * ids are a user's session ids with the same user tag: renewal stays in one slot (SPEC S1).
 */
export function renewArguments({ prefix, now, oldId, newId, graceMs }: RenewInput): ScriptArguments {
  const tag = parseSessionId(oldId)?.tag;
  if (tag === undefined || parseSessionId(newId)?.tag !== tag) {
    throw new TypeError("renew needs two session ids of one user (the same userTag(user.id) + '.')");
  }
  const old = sessionKeys(prefix, oldId);
  const keys = [old.sessionKey, sessionKeys(prefix, newId).sessionKey, old.indexKey as string];
  return [keys.length, ...keys, String(now), String(now), String(Math.ceil(now + graceMs)), oldId, newId];
}
