import type { SessionChanges } from '@sessionware/core';
import { AUTHENTICATED_AT, dataField, sessionKeys, USER_ATTRIBUTES, USER_VERSION } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { BATCHED, BATCHED_LIST, CURRENT_OF, RENEWED_KEY_OF, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';

/**
 * update: answers 'missing' and writes nothing when no live record has the key, so a
 * destroyed or expired session is never resurrected (SPEC T8; an expired leftover is
 * deleted); else sets and deletes the given fields only (no deadline moves, SPEC T4) and
 * answers 'updated'. A user copy for a session of no user or of another user is an error and
 * writes nothing. Given a renewed id within its grace, it updates the session it was renewed to
 * (SPEC P2).
 */
export const UPDATE_SCRIPT = luaScript({
  helpers: [STATE_OF, TAGGED_KEY_OF, RENEWED_KEY_OF, CURRENT_OF, BATCHED_LIST, BATCHED],
  header: `
local given = KEYS[1]           -- the session, or a renewal pointer to it
local now = tonumber(ARGV[1])   -- the app's clock (ms)
local owner = ARGV[2]           -- the user id the session must belong to ('' when no user copy is written)
local firstSet = 4              -- ARGV[firstSet..lastSet]: field, value pairs to set, ARGV[3] arguments
local lastSet = 3 + tonumber(ARGV[3])
local firstDelete = lastSet + 1 -- ARGV[firstDelete..]: the fields to delete
`,
  body: `
local key, state = currentOf(given, now)
if state ~= 'live' then
  if state == 'gone' then redis.call('DEL', key) end
  return 'missing'
end
if owner ~= '' and redis.call('HGET', key, USER_ID) ~= owner then
  return redis.error_reply('ERR sessionware: a user copy for a session that does not belong to that user')
end
batched('HSET', key, firstSet, lastSet)
batched('HDEL', key, firstDelete, #ARGV)
return 'updated'
`,
});

/**
 * The keys and arguments of {@link UPDATE_SCRIPT}: the changed data fields of `id`, and the
 * refreshed user fields when `changes` carries a user copy, and a new `authenticatedAt` (set),
 * then the unset data fields.
 */
export function updateArguments(prefix: string, id: string, now: number, { set, unset, user, authenticatedAt }: SessionChanges): ScriptArguments {
  const pairs = Object.entries(set).flatMap(([key, value]) => [dataField(key), value]);
  if (user !== undefined) pairs.push(USER_VERSION, String(user.version), USER_ATTRIBUTES, user.attributes);
  if (authenticatedAt !== undefined) pairs.push(AUTHENTICATED_AT, String(authenticatedAt));
  return [1, sessionKeys(prefix, id).sessionKey, String(now), user?.id ?? '', String(pairs.length), ...pairs, ...unset.map(dataField)];
}
