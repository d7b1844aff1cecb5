import type { DataChanges, ReplacementSession, SessionLimit } from '@sessionware/core';
import { dataField, sessionKeys } from '../layout.js';
import { encodeMetadata, indexEntry } from '../record.js';
import { luaScript, type ScriptArguments, type ScriptContext } from '../script.js';
import { limitArguments } from './create.js';
import { BATCHED_LIST, CURRENT_OF, DATA_FIELDS, IS_FREE, IS_LIVE, RENEWED_KEY_OF, STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { ENFORCE_LIMIT, INDEX, SESSION_KEY_OF, UNINDEX } from './lua-index-helpers.js';

/**
 * replace: a login over a session in the same slot. Answers 'missing' when no live record has
 * the old key (destroyed meanwhile: its data must not live on under a new id, SPEC T8; an
 * expired leftover is deleted with its index entry), 'exists' when a live record or a
 * reservation has the new key, both writing nothing else; a login given a limit then applies
 * it to the new session's user index, the old session not counted (SPEC P4): 'limited' writes
 * nothing, the old session stays live. Else, in one atomic step (SPEC T6):
 * the new record's data is the old hash's data fields as they are now, minus the unset fields,
 * plus the set ones (set wins), so that a write acknowledged on the old id after the login
 * loaded it is carried over (SPEC T8); the old session and its index entry are deleted, the
 * new record written and indexed, and the answer is 'created'. Given a renewed old id within
 * its grace, it replaces the session that id was renewed to, and deletes the pointer (SPEC P2).
 */
export const REPLACE_SCRIPT = luaScript({
  helpers: [STATE_OF, TAGGED_KEY_OF, RENEWED_KEY_OF, CURRENT_OF, IS_FREE, IS_LIVE, BATCHED_LIST, DATA_FIELDS, SESSION_KEY_OF, UNINDEX, INDEX, ENFORCE_LIMIT],
  header: `
local given = KEYS[1]                    -- the old session, or a renewal pointer to it
local newKey = KEYS[2]                   -- the new session
local now = tonumber(ARGV[1])            -- the app's clock (ms)
local expireAt = ARGV[2]                 -- the new key's PEXPIREAT: its earlier deadline
local newId = ARGV[3]                    -- the new session id, as its index entry lists it
local handle = ARGV[4]                   -- the new session's handle in its index ('' without a user)
local keepIndexUntil = ARGV[5]           -- its absolute deadline: the index lives at least until then
local oldId = ARGV[6]                    -- the old session id, as its index entry lists it
local oldIndex = KEYS[tonumber(ARGV[7])] -- the old session's user index: ARGV[7] its place in KEYS, 0 (nil) for none
local newIndex = KEYS[tonumber(ARGV[8])] -- the new session's user index: ARGV[8] its place in KEYS, 0 (nil) for none
local maxSessions = tonumber(ARGV[9])    -- the new session's user's session limit (SPEC P4); 0 for none
local refuse = ARGV[10] == 'refuse'      -- beyond it: 'refuse', else end the least recently seen
local firstUnset = 12                    -- ARGV[firstUnset..lastUnset]: the data fields to unset, ARGV[11] of them
local lastUnset = 11 + tonumber(ARGV[11])
local firstField = lastUnset + 1         -- ARGV[firstField..]: the new metadata's field, value pairs, then the data ones to set
`,
  body: `
local oldKey, state, oldHandle, _, renewedTo = currentOf(given, now)
if renewedTo then oldId = renewedTo end
if state ~= 'live' then
  if state == 'gone' then redis.call('DEL', oldKey) end
  if oldIndex ~= nil and oldHandle then unindex(oldIndex, oldHandle, oldId) end
  return 'missing'
end
if not isFree(newKey, now, '') then return 'exists' end
if maxSessions > 0 and not withinLimit(newIndex, now, maxSessions, refuse, oldId) then return 'limited' end
if oldIndex ~= nil and oldHandle then unindex(oldIndex, oldHandle, oldId) end
local unset = {}
for i = firstUnset, lastUnset do unset[ARGV[i]] = true end
local fields = dataFields(redis.call('HGETALL', oldKey), unset)
for i = firstField, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', oldKey, newKey)
if renewedTo then redis.call('DEL', given) end
batchedList('HSET', newKey, fields, 1, #fields)
redis.call('PEXPIREAT', newKey, expireAt)
if newIndex ~= nil and tonumber(expireAt) > now then index(newIndex, handle, newId, now, keepIndexUntil) end
return 'created'
`,
});

/** What a login over a session in the same slot writes. */
export interface ReplaceInput extends ScriptContext {
  readonly oldId: string;
  readonly newId: string;
  /** The new record but its data. */
  readonly session: ReplacementSession;
  /** The login's changes to the old session's data. */
  readonly changes: DataChanges;
  /** The session limit of a login; applied only to a new session with a user (SPEC P4). */
  readonly limit?: SessionLimit | undefined;
}

/**
 * The keys and arguments of {@link REPLACE_SCRIPT}. Throws for a new session that cannot be
 * indexed (see `indexEntry()`), before anything is written.
 */
export function replaceArguments({ prefix, now, oldId, newId, session, changes, limit }: ReplaceInput): ScriptArguments {
  const newEntry = indexEntry(prefix, newId, session);
  const old = sessionKeys(prefix, oldId);
  const keys = [old.sessionKey, sessionKeys(prefix, newId).sessionKey];
  const oldIndexPlace = old.indexKey === undefined ? 0 : keys.push(old.indexKey);
  const newIndexPlace = newEntry === undefined ? 0 : keys.push(newEntry.indexKey);
  const { expireAt, fields } = encodeMetadata(session);
  const unset = changes.unset.map(dataField);
  const set = Object.entries(changes.set).flatMap(([key, value]) => [dataField(key), value]);
  return [
    keys.length, ...keys,
    String(now), expireAt, newId, newEntry?.handle ?? '', String(Math.ceil(session.absoluteExpiresAt)), oldId,
    String(oldIndexPlace), String(newIndexPlace),
    ...limitArguments(newEntry === undefined ? undefined : limit),
    String(unset.length), ...unset,
    ...fields, ...set,
  ];
}
