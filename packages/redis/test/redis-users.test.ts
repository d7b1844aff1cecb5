// What only the Redis store has for users (SPEC U1, U2, U4, S1): the user index's key layout,
// its expiry, its pruning, and the checks that keep a user's keys in one hash tag.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { USER_CHANGE_RETENTION_MS, userTag, type StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { DAY, HOUR, userRecord as fixtureUserRecord, withoutData } from '@sessionware/store-test';
import { connectClient, countCommands, useRedis } from '@sessionware/test-support';
import { runScript } from '../src/internal/script.js';
import { RESERVE_SCRIPT, reserveArguments } from '../src/internal/scripts/reserve.js';

const random = (): string => randomBytes(32).toString('base64url');

/** A live session of `userId` at `t` with the values the key-layout test reads back, its absolute deadline `absoluteMs` ahead. */
function userRecord(userId: string, t: number, absoluteMs = DAY): StoredSession {
  const record = fixtureUserRecord(userId, { data: { theme: '"dark"' }, now: t, attributes: '{"name":"Ann"}', userAgent: 'Mozilla/5.0' });
  return { ...record, absoluteExpiresAt: t + absoluteMs };
}

describe('redisStore users on Redis', () => {
  const redis = useRedis();
  let prefix: string;
  let userId: string;
  let tag: string;
  /** The session key and the index key of this user, as the README documents them. */
  const sessionKeyOf = (id: string): string => `${prefix}s:{${tag}}${id.slice(tag.length + 1)}`;
  const indexKey = (): string => `${prefix}u:{${tag}}`;
  const newSessionId = (): string => `${tag}.${random()}`;

  beforeEach(() => {
    prefix = `users:${randomUUID()}:`;
    userId = `user-${randomUUID()}`;
    tag = userTag(userId);
  });

  it('U1, S1: a user\'s session is a hash at <prefix>s:{<user tag>}<random>; the user index a hash at <prefix>u:{<user tag>}', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const id = newSessionId();
    const record = userRecord(userId, t);
    expect(await store.create(id, record)).to.equal('created');
    expect(await redis().admin.hgetall(sessionKeyOf(id))).to.deep.equal({
      'm:createdAt': String(t),
      'm:lastSeenAt': String(t),
      'm:expiresAt': String(t + HOUR),
      'm:absoluteExpiresAt': String(t + 24 * HOUR),
      'm:userId': userId,
      'm:userVersion': '0',
      'm:userAttributes': '{"name":"Ann"}',
      'm:handle': record.handle,
      'm:userAgent': 'Mozilla/5.0',
      'd:theme': '"dark"',
    });
    expect(await redis().admin.hgetall(indexKey())).to.deep.equal({ [`h:${record.handle}`]: id });
    expect((await redis().admin.keys(`${prefix}*`)).sort()).to.deep.equal([sessionKeyOf(id), indexKey()].sort());
    await store.markUserChanged(userId);
    expect(await redis().admin.hget(indexKey(), 'v')).to.equal('1');
  });

  it('U4: the index expires at the latest absolute deadline of the user\'s sessions, never earlier', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    await store.create(newSessionId(), userRecord(userId, t, 2 * HOUR));
    expect(await redis().admin.pexpiretime(indexKey()), 'the first session').to.equal(t + 2 * HOUR);
    await store.create(newSessionId(), userRecord(userId, t, HOUR));
    expect(await redis().admin.pexpiretime(indexKey()), 'a session ending earlier').to.equal(t + 2 * HOUR);
    await store.create(newSessionId(), userRecord(userId, t, 3 * HOUR));
    expect(await redis().admin.pexpiretime(indexKey()), 'a session ending later').to.equal(t + 3 * HOUR);
    await store.markUserChanged(userId);
    expect(await redis().admin.pexpiretime(indexKey()), 'markUserChanged keeps it').to.equal(t + 3 * HOUR);
  });

  it('U2: markUserChanged of a user without sessions keeps the version only for the retention time, never a key without expiry', async () => {
    const store = redisStore(redis().client, { prefix });
    const before = Date.now();
    await store.markUserChanged(userId);
    expect(await store.userVersion(userId)).to.equal(1);
    expect(await redis().admin.keys(`${prefix}*`)).to.deep.equal([indexKey()]);
    const expiresAt = await redis().admin.pexpiretime(indexKey());
    expect(expiresAt).to.be.within(before + USER_CHANGE_RETENTION_MS - 1_000, Date.now() + USER_CHANGE_RETENTION_MS);
  });

  it('U4: creating a session prunes the user\'s entries whose sessions Redis expired (a small index is checked whole), and only that user\'s', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const [gone, kept] = [newSessionId(), newSessionId()];
    const keptRecord = userRecord(userId, t);
    await store.create(gone, userRecord(userId, t));
    await store.create(kept, keptRecord);
    const otherUser = `user-${randomUUID()}`;
    const otherId = `${userTag(otherUser)}.${random()}`;
    await store.create(otherId, userRecord(otherUser, t));
    // As when Redis expires the keys by itself: the index still names them.
    await redis().admin.del(sessionKeyOf(gone), `${prefix}s:{${userTag(otherUser)}}${otherId.slice(23)}`);
    expect(Object.values(await redis().admin.hgetall(indexKey()))).to.have.members([gone, kept]);

    const added = newSessionId();
    const addedRecord = userRecord(userId, t);
    await store.create(added, addedRecord);
    expect(await redis().admin.hgetall(indexKey())).to.deep.equal({ [`h:${keptRecord.handle}`]: kept, [`h:${addedRecord.handle}`]: added });
    expect(await redis().admin.hlen(`${prefix}u:{${userTag(otherUser)}}`), 'another user\'s index is not touched').to.equal(1);
  });

  it('U4: a login checks a bounded slice of a large index (HSCAN COUNT 16 from the cursor the index keeps in field c); every entry dead when a pass begins is gone when it ends', async () => {
    const store = redisStore(redis().client, { prefix });
    const { admin } = redis();
    const t = Date.now();
    const ids = Array.from({ length: 300 }, newSessionId);
    for (const id of ids) expect(await store.create(id, userRecord(userId, t))).to.equal('created');
    // As when Redis expires them: all but 10 sessions are gone, the index still names them.
    const dead = new Set(ids.slice(10));
    await admin.del(...[...dead].map(sessionKeyOf));
    const deadEntries = async (): Promise<number> => Object.values(await admin.hgetall(indexKey())).filter((id) => dead.has(id)).length;
    expect(await deadEntries()).to.equal(290);

    let logins = 0;
    let passesEnded = 0;
    // The pass under way when the sessions died may have checked some of them already; the
    // next pass starts after their death and checks them all.
    while (passesEnded < 2) {
      const delta = await countCommands(admin, () => store.create(newSessionId(), userRecord(userId, t)));
      logins += 1;
      expect(delta['hscan'], 'one HSCAN a login').to.equal(1);
      // About 16 entries: fewer, or none, when HSCAN meets empty buckets; a few more when the
      // last bucket it reads holds several (up to 24 seen). Not the 300 of the whole index.
      expect(delta['hmget'] ?? 0, 'HMGETs a login: the new id, then about 16 entries').to.be.within(1, 1 + 32);
      if ((await admin.hexists(indexKey(), 'c')) === 0) passesEnded += 1;
      expect(logins, 'logins until two passes ended').to.be.below(60);
    }
    expect(await deadEntries(), 'after a whole pass that began after the sessions died').to.equal(0);
    expect(await admin.hlen(indexKey())).to.equal(10 + logins);
    expect(await admin.hexists(indexKey(), 'c'), 'no cursor between passes').to.equal(0);
  });

  it('U4: listUserSessions drops every dead entry of a large index at once; a login after it still works from its cursor', async () => {
    const store = redisStore(redis().client, { prefix });
    const { admin } = redis();
    const t = Date.now();
    const ids = Array.from({ length: 100 }, newSessionId);
    for (const id of ids) await store.create(id, userRecord(userId, t));
    await admin.del(...ids.slice(5).map(sessionKeyOf));
    expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId).sort()).to.deep.equal(ids.slice(0, 5).sort());
    const entries = Object.keys(await admin.hgetall(indexKey())).filter((field) => field.startsWith('h:'));
    expect(entries).to.have.length(5);
    await admin.hset(indexKey(), 'c', 'not a cursor');
    const added = newSessionId();
    expect(await store.create(added, userRecord(userId, t)), 'a garbled cursor starts a new pass').to.equal('created');
    expect(await admin.hexists(indexKey(), 'c'), 'the pass over 6 entries ended at once').to.equal(0);
    expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId).sort()).to.deep.equal([...ids.slice(0, 5), added].sort());
  });

  it('U4: listUserSessions drops the entries of missing and expired sessions and deletes expired leftovers', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const [missing, expiring, live] = [newSessionId(), newSessionId(), newSessionId()];
    await store.create(missing, userRecord(userId, t));
    await store.create(expiring, { ...userRecord(userId, t), expiresAt: t + 10_000 });
    const liveRecord = userRecord(userId, t);
    await store.create(live, liveRecord);
    await redis().admin.del(sessionKeyOf(missing));
    expect((await store.listUserSessions(userId, t + 20_000)).map((entry) => entry.sessionId)).to.deep.equal([live]);
    expect(await redis().admin.hgetall(indexKey())).to.deep.equal({ [`h:${liveRecord.handle}`]: live });
    expect(await redis().admin.exists(sessionKeyOf(expiring)), 'the expired leftover').to.equal(0);
  });

  it('U4, L1: destroy, and a load that finds the session expired, remove its index entry', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const [destroyed, expired] = [newSessionId(), newSessionId()];
    await store.create(destroyed, userRecord(userId, t));
    await store.create(expired, { ...userRecord(userId, t), expiresAt: t + 10_000 });
    await store.destroy(destroyed);
    expect(await store.load(expired, { now: t + 10_001, idleTimeoutMs: HOUR })).to.equal(null);
    expect(await redis().admin.hgetall(indexKey())).to.deep.equal({});
    expect(await redis().admin.keys(`${prefix}s:*`)).to.deep.equal([]);
  });

  it('U1, S1: a user\'s session whose id lacks the user\'s tag, or that has no handle, is refused before anything is written', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const { handle: _handle, ...withoutHandle } = userRecord(userId, t);
    const oldId = random();
    await store.create(oldId, { data: {}, createdAt: t, lastSeenAt: t, expiresAt: t + HOUR, absoluteExpiresAt: t + 2 * HOUR });
    const refusals: [string, () => Promise<unknown>][] = [
      ['an anonymous id', () => store.create(random(), userRecord(userId, t))],
      ['another user\'s tag', () => store.create(`${userTag('someone else')}.${random()}`, userRecord(userId, t))],
      ['no handle', () => store.create(newSessionId(), withoutHandle)],
      ['a login onto an anonymous id', () => store.replace(oldId, random(), withoutData(userRecord(userId, t)), { set: {}, unset: [] })],
    ];
    for (const [label, call] of refusals) {
      const error = await call().then(() => undefined, (reason: unknown) => reason);
      expect(error, label).to.be.instanceOf(TypeError);
    }
    expect(await store.load(oldId, { now: t, idleTimeoutMs: HOUR }), 'the old session of the refused login').to.not.equal(null);
    expect(await redis().admin.keys(`${prefix}u:*`)).to.deep.equal([]);
  });

  it('U2: update with a user copy of another user, or on an anonymous session, is refused and writes nothing', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const id = newSessionId();
    await store.create(id, userRecord(userId, t));
    const anonymous = random();
    await store.create(anonymous, { data: {}, createdAt: t, lastSeenAt: t, expiresAt: t + HOUR, absoluteExpiresAt: t + 2 * HOUR });
    const user = { id: 'someone else', version: 1, attributes: '{}' };
    for (const target of [id, anonymous]) {
      const error = await store.update(target, { set: { theme: '"light"' }, unset: [], user }).then(() => undefined, (reason: unknown) => reason);
      expect(String(error)).to.match(/does not belong to that user/);
    }
    const loaded = await store.load(id, { now: t, idleTimeoutMs: HOUR });
    expect(loaded?.data).to.deep.equal({ theme: '"dark"' });
    expect(loaded?.user?.id).to.equal(userId);
  });

  it('T9: a client keyPrefix carries over to the index and to the session keys the scripts derive from it', async () => {
    const { client } = await connectClient(redis().server.url, { keyPrefix: 'tenant2:' });
    try {
      const store = redisStore(client, { prefix });
      const t = Date.now();
      const [gone, kept] = [newSessionId(), newSessionId()];
      await store.create(gone, userRecord(userId, t));
      await store.create(kept, userRecord(userId, t));
      expect(await redis().admin.exists(`tenant2:${indexKey()}`, `tenant2:${sessionKeyOf(kept)}`)).to.equal(2);
      await redis().admin.del(`tenant2:${sessionKeyOf(gone)}`);
      expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId)).to.deep.equal([kept]);
      expect(await redis().admin.hlen(`tenant2:${indexKey()}`)).to.equal(1);
      expect(await store.revokeUserSessions(userId, {})).to.equal(1);
      expect(await redis().admin.exists(`tenant2:${sessionKeyOf(kept)}`)).to.equal(0);
    } finally {
      client.disconnect();
    }
  });

  it('S1, T5, T8: a reservation (a login across Cluster slots holding its new id) is no session: load and update see nothing, create and replace see the id taken', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const id = newSessionId();
    // What the first step of a login across slots runs.
    const reserved = await runScript(redis().client, RESERVE_SCRIPT, reserveArguments(prefix, id, t, 'old-id', t + 60_000));
    expect(reserved).to.equal('reserved');
    expect(await redis().admin.pexpiretime(sessionKeyOf(id)), 'the reservation expires by itself').to.equal(t + 60_000);
    expect(await store.load(id, { now: t, idleTimeoutMs: HOUR }), 'load').to.equal(null);
    expect(await store.update(id, { set: { a: '1' }, unset: [] }), 'update').to.equal('missing');
    expect(await store.create(id, userRecord(userId, t)), 'create').to.equal('exists');
    const oldId = newSessionId();
    await store.create(oldId, userRecord(userId, t));
    expect(await store.replace(oldId, id, withoutData(userRecord(userId, t)), { set: { a: '1' }, unset: [] }), 'replace onto it').to.equal('exists');
    expect(await redis().admin.hgetall(sessionKeyOf(id)), 'load and update left it alone').to.deep.equal({ 'm:reservedFor': 'old-id', 'm:reservedUntil': String(t + 60_000) });
    expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId), 'never listed').to.deep.equal([oldId]);
  });
});
