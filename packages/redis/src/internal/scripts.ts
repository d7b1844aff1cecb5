/**
 * The Lua scripts, one per Store method that needs more than one Redis command, each run
 * atomically by the server in one round trip. They are registered with ioredis's
 * `defineCommand`, which sends EVALSHA and falls back to EVAL when the server does not know
 * the script (first use on a connection, after SCRIPT FLUSH or a restart).
 *
 * Liveness is judged against the `now` the caller passes (the app's clock, SPEC T2), from the
 * record's own deadline fields; the key's PEXPIREAT at the earlier deadline only lets Redis
 * reclaim the memory of abandoned sessions.
 */
import { ABSOLUTE_EXPIRES_AT, EXPIRES_AT, LAST_SEEN_AT } from './layout.js';

/** Helpers shared by the scripts. `unpack` has a stack limit, so long argument lists go in batches. */
const PRELUDE = `
local LAST_SEEN_AT, EXPIRES_AT, ABSOLUTE_EXPIRES_AT = '${LAST_SEEN_AT}', '${EXPIRES_AT}', '${ABSOLUTE_EXPIRES_AT}'

-- True when the hash at key holds a record whose two deadlines are both after now.
local function isLive(key, now)
  local deadlines = redis.call('HMGET', key, EXPIRES_AT, ABSOLUTE_EXPIRES_AT)
  local idle, absolute = tonumber(deadlines[1]), tonumber(deadlines[2])
  return idle ~= nil and absolute ~= nil and now < idle and now < absolute
end

-- Runs command on key with ARGV[first..last] as its arguments, 1000 at a time.
local function batched(command, key, first, last)
  local batch = {}
  for i = first, last do
    batch[#batch + 1] = ARGV[i]
    if #batch == 1000 then
      redis.call(command, key, unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then redis.call(command, key, unpack(batch)) end
end
`;

/**
 * load: KEYS[1] the session; ARGV now, idleTimeoutMs. Answers nil when the record is missing
 * or past either deadline (an expired record is deleted); else slides the idle deadline to
 * min(now + idleTimeoutMs, absoluteExpiresAt), sets lastSeenAt, moves the key's PEXPIREAT to
 * the new deadline and answers the whole hash (field, value, ...) as it now is (SPEC T2).
 */
export const LOAD_SCRIPT = `${PRELUDE}
local key, now = KEYS[1], tonumber(ARGV[1])
local fields = redis.call('HGETALL', key)
local idle, absolute, lastSeenIndex, expiresIndex
for i = 1, #fields, 2 do
  local field = fields[i]
  if field == EXPIRES_AT then
    idle, expiresIndex = tonumber(fields[i + 1]), i + 1
  elseif field == ABSOLUTE_EXPIRES_AT then
    absolute = tonumber(fields[i + 1])
  elseif field == LAST_SEEN_AT then
    lastSeenIndex = i + 1
  end
end
if idle == nil or absolute == nil or lastSeenIndex == nil or now >= idle or now >= absolute then
  if #fields > 0 then redis.call('DEL', key) end
  return false
end
local expiresAt = string.format('%.0f', math.min(now + tonumber(ARGV[2]), absolute))
redis.call('HSET', key, LAST_SEEN_AT, ARGV[1], EXPIRES_AT, expiresAt)
redis.call('PEXPIREAT', key, expiresAt)
fields[lastSeenIndex] = ARGV[1]
fields[expiresIndex] = expiresAt
return fields
`;

/**
 * create: KEYS[1] the session; ARGV now, expireAt, then field, value pairs. Answers 'exists'
 * and writes nothing when a live record has the key (SPEC T5); else replaces any expired
 * leftover with the new record, sets its PEXPIREAT and answers 'created'.
 */
export const CREATE_SCRIPT = `${PRELUDE}
local key = KEYS[1]
if isLive(key, tonumber(ARGV[1])) then return 'exists' end
redis.call('DEL', key)
batched('HSET', key, 3, #ARGV)
redis.call('PEXPIREAT', key, ARGV[2])
return 'created'
`;

/**
 * replace: KEYS[1] the old session, KEYS[2] the new one; ARGV as for create. Answers
 * 'missing' when no live record has the old key (destroyed meanwhile: its data must not live
 * on under a new id, SPEC T8; an expired leftover is deleted), 'exists' when a live record has
 * the new key, both writing nothing else; else deletes the old key, writes the new record and
 * answers 'created', in one atomic step (SPEC T6).
 */
export const REPLACE_SCRIPT = `${PRELUDE}
local oldKey, newKey, now = KEYS[1], KEYS[2], tonumber(ARGV[1])
if not isLive(oldKey, now) then
  redis.call('DEL', oldKey)
  return 'missing'
end
if isLive(newKey, now) then return 'exists' end
redis.call('DEL', oldKey, newKey)
batched('HSET', newKey, 3, #ARGV)
redis.call('PEXPIREAT', newKey, ARGV[2])
return 'created'
`;

/**
 * update: KEYS[1] the session; ARGV now, n, then n field, value arguments to set, then the
 * fields to delete. Answers 'missing' and writes nothing when no live record has the key, so
 * a destroyed or expired session is never resurrected (SPEC T8; an expired leftover is
 * deleted); else sets and deletes those fields only (no deadline moves, SPEC T4) and answers
 * 'updated'.
 */
export const UPDATE_SCRIPT = `${PRELUDE}
local key = KEYS[1]
if not isLive(key, tonumber(ARGV[1])) then
  redis.call('DEL', key)
  return 'missing'
end
local lastSet = 2 + tonumber(ARGV[2])
batched('HSET', key, 3, lastSet)
batched('HDEL', key, lastSet + 1, #ARGV)
return 'updated'
`;
