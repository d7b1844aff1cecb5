import { sessionKeys } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';

/**
 * release: undoes a reservation whose login found no old session to take, or whose create
 * the session limit refused (SPEC P4). Deletes the reservation if token still holds it.
 */
export const RELEASE_SCRIPT = luaScript({
  helpers: [],
  header: `
local key = KEYS[1]   -- a reserved id's key
local token = ARGV[1] -- who reserved it: the old session id
`,
  body: `
if redis.call('HGET', key, RESERVED_FOR) == token then redis.call('DEL', key) end
return 'released'
`,
});

/** The keys and arguments of {@link RELEASE_SCRIPT}: `newId`'s reservation by `token`. */
export function releaseArguments(prefix: string, newId: string, token: string): ScriptArguments {
  return [1, sessionKeys(prefix, newId).sessionKey, token];
}
