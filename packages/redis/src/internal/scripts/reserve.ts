import type { SessionLimit } from '@sessionware/core';
import { keyList, sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { STATE_OF, TAGGED_KEY_OF } from './lua-helpers.js';
import { ENFORCE_LIMIT, SESSION_KEY_OF } from './lua-index-helpers.js';

/**
 * reserve: the first step of a login across Cluster slots. Answers 'exists' when a live
 * record or a reservation has the new session's key; given a refusing limit, 'limited' when
 * the user already has that many live sessions (SPEC P4); both write nothing. Else holds the
 * id with a reservation hash that expires at reservedUntil and answers 'reserved'. Until the
 * login's create (given the same token) completes it, `create` and `replace` see the id
 * taken, `load` and `update` see nothing.
 */
export const RESERVE_SCRIPT = luaScript({
  helpers: [STATE_OF, TAGGED_KEY_OF, SESSION_KEY_OF, ENFORCE_LIMIT],
  header: `
local key = KEYS[1]                   -- the new session
local indexKey = KEYS[2]              -- its user's index, given with a limit only
local now = tonumber(ARGV[1])         -- the app's clock (ms)
local token = ARGV[2]                 -- who holds the reservation: the old session id
local reservedUntil = ARGV[3]         -- when the reservation expires by itself
local maxSessions = tonumber(ARGV[4]) -- a refusing session limit (SPEC P4); 0 for none
`,
  body: `
if stateOf(key, now) ~= 'gone' then return 'exists' end
if maxSessions > 0 and not withinLimit(indexKey, now, maxSessions, true, '') then return 'limited' end
redis.call('DEL', key)
redis.call('HSET', key, RESERVED_FOR, token, RESERVED_UNTIL, reservedUntil)
redis.call('PEXPIREAT', key, reservedUntil)
return 'reserved'
`,
});

/**
 * The keys and arguments of {@link RESERVE_SCRIPT}: `newId` held for `token` until
 * `reservedUntil`. A limit is checked here only when it refuses: ending sessions waits for the
 * create that completes the login, once the old session is taken.
 */
export function reserveArguments(prefix: string, newId: string, now: number, token: string, reservedUntil: number, limit?: SessionLimit): ScriptArguments {
  const keys = sessionKeys(prefix, newId);
  if (limit?.onLimit !== 'refuse' || keys.indexKey === undefined) return [1, keys.sessionKey, String(now), token, String(reservedUntil), '0'];
  return [2, ...keyList(keys), String(now), token, String(reservedUntil), String(limit.max)];
}
