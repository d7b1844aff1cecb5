import { userTag } from '@sessionware/core';
import { userIndexKey } from '../layout.js';
import { luaScript, type ScriptArguments } from '../script.js';

/**
 * markUserChanged (SPEC U2): bumps the user index's version field and makes sure the index
 * lives at least retentionMs more, so a login that read the user just before the change still
 * sees it (USER_CHANGE_RETENTION_MS) — an index without sessions is gone after that, never a
 * key without expiry. Answers the new version.
 */
export const MARK_CHANGED_SCRIPT = luaScript({
  helpers: [],
  header: `
local indexKey = KEYS[1]         -- the user's index
local retain = tonumber(ARGV[1]) -- retentionMs: how long at least the index keeps the change
`,
  body: `
local version = redis.call('HINCRBY', indexKey, VERSION, 1)
if redis.call('PTTL', indexKey) < retain then redis.call('PEXPIRE', indexKey, retain) end
return version
`,
});

/** The keys and arguments of {@link MARK_CHANGED_SCRIPT}: a change of `userId`, kept at least `retentionMs`. */
export function markChangedArguments(prefix: string, userId: string, retentionMs: number): ScriptArguments {
  return [1, userIndexKey(prefix, userTag(userId)), String(retentionMs)];
}
