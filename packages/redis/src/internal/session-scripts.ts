/**
 * The scripts of one session's life: load (with the deadline slide and, for a user's session,
 * the user's change version), create, replace (login), update and remove, and the reserve,
 * take and release steps of a login across Cluster slots. See `lua-prelude.ts` for what they
 * share.
 */
import type { DataChanges, ReplacementSession } from '@sessionware/core';
import { dataField } from './layout.js';
import { prelude } from './lua-prelude.js';
import { encodeMetadata } from './record.js';
import type { ScriptArguments } from './script.js';

/**
 * load: KEYS[1] the session, KEYS[2] its user's index (for an id with a user tag); ARGV now,
 * the slid idle deadline (now + idleTimeoutMs, a whole number), id. Answers nil when the
 * record is missing or past either deadline (an expired record is deleted, with its index
 * entry; a current reservation is left); else slides the idle deadline to
 * min(now + idleTimeoutMs, absoluteExpiresAt), sets lastSeenAt, moves the key's PEXPIREAT to
 * the new deadline and answers the hash as it now is (SPEC T2) as ONE string: the JSON array
 * [field, value, …] (`cjson.encode`), with for a user's session one more element at the end,
 * the user's version: the index's field v, '0' when unset (SPEC U2). One bulk string instead
 * of an array of them is what makes the reply cheap to read: the client decodes one string
 * and parses it with one `JSON.parse`. cjson copies bytes from 0x80 up as they are (UTF-8
 * stays UTF-8) and escapes the quote, the backslash, '/', DEL and the control characters, all
 * of which `JSON.parse` turns back into the same characters: every value comes back exactly
 * as it was stored (tested in `test/internal/load-reply.test.ts`).
 */
export const LOAD_SCRIPT = `${prelude('unindex')}
local key, indexKey, now = KEYS[1], KEYS[2], tonumber(ARGV[1])
local fields = redis.call('HGETALL', key)
local idle, absolute, lastSeenIndex, expiresIndex, hasUser, handle, reservedUntil
for i = 1, #fields, 2 do
  local field = fields[i]
  if field == EXPIRES_AT then
    idle, expiresIndex = tonumber(fields[i + 1]), i + 1
  elseif field == ABSOLUTE_EXPIRES_AT then
    absolute = tonumber(fields[i + 1])
  elseif field == LAST_SEEN_AT then
    lastSeenIndex = i + 1
  elseif field == USER_ID then
    hasUser = true
  elseif field == HANDLE then
    handle = fields[i + 1]
  elseif field == RESERVED_UNTIL then
    reservedUntil = tonumber(fields[i + 1])
  end
end
if idle == nil or absolute == nil or lastSeenIndex == nil or now >= idle or now >= absolute then
  if #fields > 0 and not (reservedUntil ~= nil and now < reservedUntil) then
    redis.call('DEL', key)
    if indexKey ~= nil and handle ~= nil then unindex(indexKey, handle, ARGV[3]) end
  end
  return false
end
if hasUser and indexKey == nil then
  return redis.error_reply('ERR sessionware: a session with a user under an id without a user tag')
end
-- The slid deadline comes as text; formatting a number costs Redis about 2 µs a call.
local expiresAt = ARGV[2]
if absolute < tonumber(expiresAt) then expiresAt = string.format('%.0f', absolute) end
redis.call('HSET', key, LAST_SEEN_AT, ARGV[1], EXPIRES_AT, expiresAt)
redis.call('PEXPIREAT', key, expiresAt)
fields[lastSeenIndex] = ARGV[1]
fields[expiresIndex] = expiresAt
if hasUser then fields[#fields + 1] = redis.call('HGET', indexKey, VERSION) or '0' end
return cjson.encode(fields)
`;

/**
 * create: KEYS[1] the session, KEYS[2] its user's index (for a session with a user); ARGV now,
 * expireAt, id, handle, keepIndexUntil (the session's absolute deadline), the reservation
 * this create completes ('' for none), then field, value pairs. Answers 'exists' and writes
 * nothing when a live record or another reservation has the key (SPEC T5); else replaces
 * whatever the key holds with the new record, sets its PEXPIREAT, adds it to its user's index
 * (when it is live) and answers 'created'.
 */
export const CREATE_SCRIPT = `${prelude('isFree', 'write', 'index')}
local key, indexKey, now = KEYS[1], KEYS[2], tonumber(ARGV[1])
if not isFree(key, now, ARGV[6]) then return 'exists' end
redis.call('DEL', key)
write(key, ARGV[2], 7)
if indexKey ~= nil and tonumber(ARGV[2]) > now then index(indexKey, ARGV[4], ARGV[3], now, ARGV[5]) end
return 'created'
`;

/**
 * reserve: KEYS[1] the new session of a login across Cluster slots; ARGV now, token (the old
 * session id), reservedUntil. Answers 'exists' when a live record or a reservation has the key;
 * else holds the id with a reservation hash that expires at reservedUntil and answers
 * 'reserved'. Until the login's create (given the same token) completes it, `create` and
 * `replace` see the id taken, `load` and `update` see nothing.
 */
export const RESERVE_SCRIPT = `${prelude('stateOf')}
local key, now = KEYS[1], tonumber(ARGV[1])
if stateOf(key, now) ~= 'gone' then return 'exists' end
redis.call('DEL', key)
redis.call('HSET', key, RESERVED_FOR, ARGV[2], RESERVED_UNTIL, ARGV[3])
redis.call('PEXPIREAT', key, ARGV[3])
return 'reserved'
`;

/** release: KEYS[1] a reserved id; ARGV token. Deletes the reservation if token still holds it. */
export const RELEASE_SCRIPT = `${prelude()}
if redis.call('HGET', KEYS[1], RESERVED_FOR) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 'released'
`;

/** What a login over a session in the same slot writes: see {@link REPLACE_SCRIPT} and {@link replaceArguments}. */
export interface ReplaceInput {
  /** The app's clock. */
  readonly now: number;
  readonly oldId: string;
  readonly oldKey: string;
  /** The old session's user index, for an id with a user tag. */
  readonly oldIndexKey: string | undefined;
  readonly newId: string;
  readonly newKey: string;
  /** The new session's user index and its handle there, for a session with a user. */
  readonly newIndex: { readonly key: string; readonly handle: string } | undefined;
  /** The new record but its data. */
  readonly session: ReplacementSession;
  /** The login's changes to the old session's data. */
  readonly changes: DataChanges;
}

/**
 * replace: KEYS[1] the old session, KEYS[2] the new one, then the old session's user index
 * and the new session's, each when there is one. ARGV: now, expireAt, newId, handle,
 * keepIndexUntil (the new session's absolute deadline), oldId, the positions in KEYS of the
 * old index and of the new index (0: none), n, then n data fields to unset, then the new
 * record's metadata field, value pairs, then the data field, value pairs to set (built by
 * {@link replaceArguments}). Answers 'missing' when no live record has the old key (destroyed
 * meanwhile: its data must not live on under a new id, SPEC T8; an expired leftover is
 * deleted with its index entry), 'exists' when a live record or a reservation has the new
 * key, both writing nothing else. Else, in one atomic step (SPEC T6): the new record's data is
 * the old hash's data fields as they are now, minus the unset fields, plus the set ones (set
 * wins), so that a write acknowledged on the old id after the login loaded it is carried over
 * (SPEC T8); the old session and its index entry are deleted, the new record written and
 * indexed, and the answer is 'created'.
 */
export const REPLACE_SCRIPT = `${prelude('stateOf', 'unindex', 'isFree', 'dataFields', 'batchedList', 'index')}
local oldKey, newKey = KEYS[1], KEYS[2]
local now, expireAt, newId, handle, keepIndexUntil, oldId = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local oldIndex, newIndex = KEYS[tonumber(ARGV[7])], KEYS[tonumber(ARGV[8])]
local firstUnset, lastUnset = 10, 9 + tonumber(ARGV[9])
local firstField = lastUnset + 1
local state, oldHandle = stateOf(oldKey, now)
if state ~= 'live' then
  if state == 'gone' then redis.call('DEL', oldKey) end
  if oldIndex ~= nil and oldHandle then unindex(oldIndex, oldHandle, oldId) end
  return 'missing'
end
if not isFree(newKey, now, '') then return 'exists' end
if oldIndex ~= nil and oldHandle then unindex(oldIndex, oldHandle, oldId) end
local unset = {}
for i = firstUnset, lastUnset do unset[ARGV[i]] = true end
local fields = dataFields(redis.call('HGETALL', oldKey), unset)
for i = firstField, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', oldKey, newKey)
batchedList('HSET', newKey, fields, 1, #fields)
redis.call('PEXPIREAT', newKey, expireAt)
if newIndex ~= nil and tonumber(expireAt) > now then index(newIndex, handle, newId, now, keepIndexUntil) end
return 'created'
`;

/** The keys and arguments of {@link REPLACE_SCRIPT}, in its order. */
export function replaceArguments(input: ReplaceInput): ScriptArguments {
  const { now, oldId, oldKey, oldIndexKey, newId, newKey, newIndex, session, changes } = input;
  const keys = [oldKey, newKey];
  const oldIndexPosition = oldIndexKey === undefined ? 0 : keys.push(oldIndexKey);
  const newIndexPosition = newIndex === undefined ? 0 : keys.push(newIndex.key);
  const { expireAt, fields } = encodeMetadata(session);
  const unset = changes.unset.map(dataField);
  const set = Object.entries(changes.set).flatMap(([key, value]) => [dataField(key), value]);
  return [
    keys.length, ...keys,
    String(now), expireAt, newId, newIndex?.handle ?? '', String(Math.ceil(session.absoluteExpiresAt)), oldId,
    String(oldIndexPosition), String(newIndexPosition),
    String(unset.length), ...unset,
    ...fields, ...set,
  ];
}

/**
 * take: KEYS[1] a session, KEYS[2] its user's index (for an id with a user tag); ARGV now, id.
 * Deletes the session and its index entry, as remove does, and answers in the same atomic
 * step what it held: {'taken', field, value, …} with the session's data fields when it was
 * live, else {'missing'}. The second step of a login across Cluster slots: the data as
 * stored at that moment goes to the new session, and a write to the old id after it finds
 * nothing (SPEC T8).
 */
export const TAKE_SCRIPT = `${prelude('stateOf', 'unindex', 'dataFields')}
local key, indexKey = KEYS[1], KEYS[2]
local now, id = tonumber(ARGV[1]), ARGV[2]
local state, handle = stateOf(key, now)
local taken = state == 'live' and dataFields(redis.call('HGETALL', key), {})
redis.call('DEL', key)
if indexKey ~= nil and handle then unindex(indexKey, handle, id) end
if not taken then return {'missing'} end
table.insert(taken, 1, 'taken')
return taken
`;

/** The keys and arguments of {@link TAKE_SCRIPT}: the session's key, its user's index when it has one, now, its id. */
export function takeArguments(now: number, id: string, key: string, indexKey: string | undefined): ScriptArguments {
  const keys = indexKey === undefined ? [key] : [key, indexKey];
  return [keys.length, ...keys, String(now), id];
}

/**
 * remove: KEYS[1] a session, KEYS[2] its user's index (for an id with a user tag); ARGV now,
 * id. Deletes the session and its index entry; answers 'removed' when it was live, else
 * 'missing'. It is `destroy` of a user's session.
 */
export const REMOVE_SCRIPT = `${prelude('stateOf', 'unindex')}
local key, indexKey = KEYS[1], KEYS[2]
local state, handle = stateOf(key, tonumber(ARGV[1]))
redis.call('DEL', key)
if indexKey ~= nil and handle then unindex(indexKey, handle, ARGV[2]) end
if state == 'live' then return 'removed' end
return 'missing'
`;

/**
 * update: KEYS[1] the session; ARGV now, the user id the session must belong to ('' when no
 * user copy is written), n, then n field, value arguments to set (data fields and the
 * refreshed user fields), then the fields to delete. Answers 'missing' and writes nothing
 * when no live record has the key, so a destroyed or expired session is never resurrected
 * (SPEC T8; an expired leftover is deleted); else sets and deletes those fields only (no
 * deadline moves, SPEC T4) and answers 'updated'. A user copy for a session of no user or of
 * another user is an error and writes nothing.
 */
export const UPDATE_SCRIPT = `${prelude('stateOf', 'batched')}
local key = KEYS[1]
local state = stateOf(key, tonumber(ARGV[1]))
if state ~= 'live' then
  if state == 'gone' then redis.call('DEL', key) end
  return 'missing'
end
if ARGV[2] ~= '' and redis.call('HGET', key, USER_ID) ~= ARGV[2] then
  return redis.error_reply('ERR sessionware: a user copy for a session that does not belong to that user')
end
local lastSet = 3 + tonumber(ARGV[3])
batched('HSET', key, 4, lastSet)
batched('HDEL', key, lastSet + 1, #ARGV)
return 'updated'
`;
