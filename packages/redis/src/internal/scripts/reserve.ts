import { sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';
import { STATE_OF } from './lua-helpers.js';

/**
 * reserve: the first step of a login across Cluster slots. Answers 'exists' when a live
 * record or a reservation has the new session's key; else holds the id with a reservation
 * hash that expires at reservedUntil and answers 'reserved'. Until the login's create (given
 * the same token) completes it, `create` and `replace` see the id taken, `load` and `update`
 * see nothing.
 */
export const RESERVE_SCRIPT = luaScript({
  helpers: [STATE_OF],
  header: `
local key = KEYS[1]           -- the new session
local now = tonumber(ARGV[1]) -- the app's clock (ms)
local token = ARGV[2]         -- who holds the reservation: the old session id
local reservedUntil = ARGV[3] -- when the reservation expires by itself
`,
  body: `
if stateOf(key, now) ~= 'gone' then return 'exists' end
redis.call('DEL', key)
redis.call('HSET', key, RESERVED_FOR, token, RESERVED_UNTIL, reservedUntil)
redis.call('PEXPIREAT', key, reservedUntil)
return 'reserved'
`,
});

/** The keys and arguments of {@link RESERVE_SCRIPT}: `newId` held for `token` until `reservedUntil`. */
export function reserveArguments(prefix: string, newId: string, now: number, token: string, reservedUntil: number): ScriptArguments {
  return [1, sessionKeys(prefix, newId).sessionKey, String(now), token, String(reservedUntil)];
}
