import type { SessionLimit, StoredSession } from '@sessionware/core';
import { sessionKeys } from '../layout.js';
import { encodeRecord, indexEntry } from '../record.js';
import { luaScript, type ScriptArguments, type ScriptContext } from '../script.js';
import { BATCHED, BATCHED_LIST, IS_FREE, IS_LIVE, STATE_OF, TAGGED_KEY_OF, WRITE } from './lua-helpers.js';
import { ENFORCE_LIMIT, INDEX, SESSION_KEY_OF } from './lua-index-helpers.js';

/**
 * create: answers 'exists' and writes nothing when a live record or another reservation has
 * the key (SPEC T5); a login given a limit then applies it to the user's index (SPEC P4):
 * 'limited' writes nothing; else replaces whatever the key holds with the new record, sets
 * its PEXPIREAT, adds it to its user's index (when it is live) and answers 'created'.
 */
export const CREATE_SCRIPT = luaScript({
  helpers: [STATE_OF, IS_FREE, IS_LIVE, BATCHED_LIST, BATCHED, TAGGED_KEY_OF, SESSION_KEY_OF, INDEX, ENFORCE_LIMIT, WRITE],
  header: `
local key = KEYS[1]                   -- the session
local indexKey = KEYS[2]              -- its user's index; nil for a session without a user
local now = tonumber(ARGV[1])         -- the app's clock (ms)
local expireAt = ARGV[2]              -- the key's PEXPIREAT: the earlier deadline
local id = ARGV[3]                    -- the session id, as its index entry lists it
local handle = ARGV[4]                -- its handle in the index ('' without a user)
local keepIndexUntil = ARGV[5]        -- its absolute deadline: the index lives at least until then
local reservation = ARGV[6]           -- the reservation this create completes ('' for none)
local maxSessions = tonumber(ARGV[7]) -- the user's session limit (SPEC P4); 0 for none
local refuse = ARGV[8] == 'refuse'    -- beyond it: 'refuse', else end the least recently seen
local firstField = 9                  -- ARGV[firstField..]: the record's field, value pairs
`,
  body: `
if not isFree(key, now, reservation) then return 'exists' end
if maxSessions > 0 and not withinLimit(indexKey, now, maxSessions, refuse, '') then return 'limited' end
redis.call('DEL', key)
write(key, expireAt, firstField)
if indexKey ~= nil and tonumber(expireAt) > now then index(indexKey, handle, id, now, keepIndexUntil) end
return 'created'
`,
});

/** What a create writes. */
export interface CreateInput extends ScriptContext {
  readonly id: string;
  readonly session: StoredSession;
  /** The reservation of a login across Cluster slots this create completes: the old session id. */
  readonly reservation?: string | undefined;
  /** The session limit of a login; applied only to a session with a user (SPEC P4). */
  readonly limit?: SessionLimit | undefined;
}

/**
 * The keys and arguments of {@link CREATE_SCRIPT}. Throws for a user's session that cannot be
 * indexed (see `indexEntry()`), before anything is written.
 */
export function createArguments({ prefix, now, id, session, reservation, limit }: CreateInput): ScriptArguments {
  const entry = indexEntry(prefix, id, session);
  const { sessionKey } = sessionKeys(prefix, id);
  const keys = entry === undefined ? [sessionKey] : [sessionKey, entry.indexKey];
  const { expireAt, fields } = encodeRecord(session);
  const keepIndexUntil = String(Math.ceil(session.absoluteExpiresAt));
  return [keys.length, ...keys, String(now), expireAt, id, entry?.handle ?? '', keepIndexUntil, reservation ?? '', ...limitArguments(entry === undefined ? undefined : limit), ...fields];
}

/** A limit as the create and replace scripts read it: max (0 for none), then onLimit. */
export function limitArguments(limit: SessionLimit | undefined): [string, string] {
  return limit === undefined ? ['0', ''] : [String(limit.max), limit.onLimit];
}
