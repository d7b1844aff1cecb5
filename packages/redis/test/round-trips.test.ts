// Each Store method is one round trip (SPEC T2: the slide rides on the load), measured with
// INFO commandstats. Redis counts a script's inner commands too, so each expected delta is the
// one command the client sent (EVALSHA or UNLINK) plus exactly what that script runs.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { userTag, type ReplacementSession, type Store, type StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { DAY, HOUR, liveRecord, newId, userRecord as fixtureUserRecord, withoutData } from '@sessionware/store-test';
import { commandStats, countCommands, useRedis } from '@sessionware/test-support';

const record = (data: Record<string, string>): StoredSession => liveRecord(data);

/** A login's new record, without the data `replace` carries over. */
const meta = (): ReplacementSession => withoutData(liveRecord());

/** A login's changes: one key set, one removed. */
const LOGIN_CHANGES = { set: { who: '"ann"' }, unset: ['a'] };

/** A live session of `userId`, its absolute deadline `absoluteMs` ahead. */
function userRecord(userId: string, absoluteMs = DAY): StoredSession {
  const record = fixtureUserRecord(userId, { data: { a: '1' }, attributes: '{}' });
  return { ...record, absoluteExpiresAt: record.createdAt + absoluteMs };
}

/** A new session of `userId` for a login, without the data `replace` carries over. */
const userMeta = (userId: string, absoluteMs = DAY): ReplacementSession => withoutData(userRecord(userId, absoluteMs));

describe('redisStore round trips', () => {
  const redis = useRedis();
  let store: Store;

  beforeEach(async () => {
    store = redisStore(redis().client, { prefix: `test:${randomUUID()}:` });
    // ioredis sends a script with EVAL the first time a connection runs it, EVALSHA after.
    const id = newId();
    await store.create(id, record({}));
    await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR });
    await store.peek(id, Date.now());
    await store.update(id, { set: { a: '1' }, unset: [] });
    await store.replace(id, newId(), meta(), LOGIN_CHANGES);
  });

  const cases: { title: string; run: (id: string) => Promise<unknown>; expected: Record<string, number> }[] = [
    {
      title: 'T2: load of a live session, deadline slide included, is one EVALSHA (HGETALL, HSET, PEXPIREAT inside)',
      run: async (id) => expect(await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR })).to.not.equal(null),
      expected: { evalsha: 1, hgetall: 1, hset: 1, pexpireat: 1 },
    },
    {
      title: 'P5: peek is one EVALSHA with one HMGET inside and no write: no slide, no PEXPIREAT',
      run: async (id) => expect(await store.peek(id, Date.now())).to.not.equal(null),
      expected: { evalsha: 1, hmget: 1 },
    },
    {
      title: 'T2: load of a missing session is one EVALSHA (HGETALL inside)',
      run: async () => expect(await store.load(newId(), { now: Date.now(), idleTimeoutMs: HOUR })).to.equal(null),
      expected: { evalsha: 1, hgetall: 1 },
    },
    {
      title: 'T5: create is one EVALSHA (HMGET, DEL, HSET, PEXPIREAT inside)',
      run: async () => expect(await store.create(newId(), record({ a: '1', b: '2' }))).to.equal('created'),
      expected: { evalsha: 1, hmget: 1, del: 1, hset: 1, pexpireat: 1 },
    },
    {
      title: 'T4, T8: update is one EVALSHA (HMGET, HSET, HDEL inside)',
      run: async (id) => expect(await store.update(id, { set: { a: '2', c: '3' }, unset: ['b'] })).to.equal('updated'),
      expected: { evalsha: 1, hmget: 1, hset: 1, hdel: 1 },
    },
    {
      title: 'T6, T8: replace is one EVALSHA (HMGET of both ids, HGETALL of the old data, DEL, one HSET of the merged data and the metadata, PEXPIREAT inside)',
      run: async (id) => expect(await store.replace(id, newId(), meta(), LOGIN_CHANGES)).to.equal('created'),
      expected: { evalsha: 1, hmget: 2, hgetall: 1, del: 1, hset: 1, pexpireat: 1 },
    },
    {
      title: 'L1: destroy is one UNLINK',
      run: (id) => store.destroy(id),
      expected: { unlink: 1 },
    },
  ];
  for (const { title, run, expected } of cases) {
    it(title, async () => {
      const id = newId();
      expect(await store.create(id, record({ a: '1', b: '2' }))).to.equal('created');
      expect(await countCommands(redis().admin, () => run(id))).to.deep.equal(expected);
    });
  }

  it("P1, T2: load of a session with its own idle timeout (a remembered login's) costs what any load costs", async () => {
    const id = newId();
    expect(await store.create(id, { ...record({ a: '1' }), idleTimeoutMs: 2 * HOUR })).to.equal('created');
    const now = Date.now();
    const counted = await countCommands(redis().admin, async () => expect((await store.load(id, { now, idleTimeoutMs: HOUR }))?.expiresAt).to.equal(now + 2 * HOUR));
    expect(counted).to.deep.equal({ evalsha: 1, hgetall: 1, hset: 1, pexpireat: 1 });
  });

  describe('for users', () => {
    let userId: string;
    let id: string;
    let seeded: StoredSession;
    const userSessionId = (): string => `${userTag(userId)}.${newId()}`;

    beforeEach(async () => {
      // Warm-up of the user scripts, on another user.
      const warmUser = `warm-${randomUUID()}`;
      const warmId = `${userTag(warmUser)}.${newId()}`;
      await store.create(warmId, userRecord(warmUser));
      await store.load(warmId, { now: Date.now(), idleTimeoutMs: HOUR });
      await store.markUserChanged(warmUser);
      await store.listUserSessions(warmUser, Date.now());
      await store.revokeUserSessions(warmUser, {});
      await store.destroy(warmId);
      // One live session of the user under test.
      userId = `user-${randomUUID()}`;
      id = userSessionId();
      seeded = userRecord(userId);
      expect(await store.create(id, seeded)).to.equal('created');
    });

    const count = (action: () => Promise<unknown>): Promise<Record<string, number>> => countCommands(redis().admin, action);

    it('U2, T2: load of a user\'s session is one EVALSHA that also reads the user\'s version (HGETALL, HSET, PEXPIREAT, HGET inside)', async () => {
      expect(await count(async () => expect((await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR }))?.userVersion).to.equal(0)))
        .to.deep.equal({ evalsha: 1, hgetall: 1, hset: 1, pexpireat: 1, hget: 1 });
    });

    it('U4, T5: create of a user\'s session is one EVALSHA: the record, its index entry, pruning of a slice of the user\'s other entries (HGET of the cursor, HSCAN), the index expiry', async () => {
      expect(await count(async () => expect(await store.create(userSessionId(), userRecord(userId, 48 * HOUR))).to.equal('created')))
        .to.deep.equal({ evalsha: 1, hmget: 2, del: 1, hset: 2, pexpireat: 2, hget: 1, hscan: 1, pexpiretime: 1 });
    });

    it('T6, T8, U4: replace of a user\'s session by a new one of the same user is one EVALSHA (the old data merged in it)', async () => {
      expect(await count(async () => expect(await store.replace(id, userSessionId(), userMeta(userId, 48 * HOUR), LOGIN_CHANGES)).to.equal('created')))
        .to.deep.equal({ evalsha: 1, hmget: 2, hgetall: 1, hget: 2, hdel: 1, del: 1, hset: 2, pexpireat: 2, hscan: 1, pexpiretime: 1 });
    });

    it('P4: a capped create of a user\'s session is still one EVALSHA: the limit walk reads the index (HGETALL) and each listed session (HMGET); under the cap it ends nothing', async () => {
      expect(await count(async () => expect(await store.create(userSessionId(), userRecord(userId, 48 * HOUR), { max: 5, onLimit: 'refuse' })).to.equal('created')))
        .to.deep.equal({ evalsha: 1, hgetall: 1, hmget: 3, del: 1, hset: 2, pexpireat: 2, hget: 1, hscan: 1, pexpiretime: 1 });
    });

    it('P4: a capped create at the cap is one EVALSHA, which ends the least recently seen session (DEL, HDEL) or, refusing, writes nothing', async () => {
      expect(await count(async () => expect(await store.create(userSessionId(), userRecord(userId), { max: 1, onLimit: 'refuse' })).to.equal('limited')))
        .to.deep.equal({ evalsha: 1, hmget: 2, hgetall: 1 });
      expect(await count(async () => expect(await store.create(userSessionId(), userRecord(userId, 48 * HOUR), { max: 1, onLimit: 'end-least-recent' })).to.equal('created')))
        .to.deep.equal({ evalsha: 1, hgetall: 1, hmget: 2, del: 2, hdel: 1, hset: 2, pexpireat: 2, hget: 1, hscan: 1, pexpiretime: 1 });
    });

    it('P4, T6: a capped re-login is still one EVALSHA; its old session is not counted', async () => {
      expect(await count(async () => expect(await store.replace(id, userSessionId(), userMeta(userId, 48 * HOUR), LOGIN_CHANGES, { max: 1, onLimit: 'refuse' })).to.equal('created')))
        .to.deep.equal({ evalsha: 1, hmget: 2, hgetall: 2, hget: 2, hdel: 1, del: 1, hset: 2, pexpireat: 2, hscan: 1, pexpiretime: 1 });
    });

    it('U4, L1: destroy of a user\'s session is one EVALSHA (the session and its index entry)', async () => {
      expect(await count(() => store.destroy(id))).to.deep.equal({ evalsha: 1, hmget: 1, del: 1, hget: 1, hdel: 1 });
    });

    it('U2, T8: update with a refreshed user copy is one EVALSHA (HMGET, HGET of the owner, HSET)', async () => {
      const user = { id: userId, version: 1, attributes: '{"a":1}' };
      expect(await count(async () => expect(await store.update(id, { set: { b: '2' }, unset: [], user })).to.equal('updated')))
        .to.deep.equal({ evalsha: 1, hmget: 1, hget: 1, hset: 1 });
    });

    it('U2: userVersion is one HGET; markUserChanged one EVALSHA (HINCRBY, PTTL)', async () => {
      expect(await count(() => store.userVersion(userId))).to.deep.equal({ hget: 1 });
      expect(await count(() => store.markUserChanged(userId))).to.deep.equal({ evalsha: 1, hincrby: 1, pttl: 1 });
    });

    it('U4: listUserSessions is one EVALSHA (HGETALL of the index, one HMGET per session)', async () => {
      expect(await count(async () => expect(await store.listUserSessions(userId, Date.now())).to.have.length(1)))
        .to.deep.equal({ evalsha: 1, hgetall: 1, hmget: 1 });
    });

    it('U4: revokeUserSessions is one EVALSHA, for all sessions or by handle', async () => {
      const other = userRecord(userId);
      await store.create(userSessionId(), other);
      expect(await count(async () => expect(await store.revokeUserSessions(userId, { handles: [other.handle ?? ''] })).to.equal(1)))
        .to.deep.equal({ evalsha: 1, hget: 1, hmget: 1, del: 1, hdel: 1 });
      expect(await count(async () => expect(await store.revokeUserSessions(userId, {})).to.equal(1)))
        .to.deep.equal({ evalsha: 1, hgetall: 1, hmget: 1, del: 1, hdel: 1 });
    });
  });

  it('T9: after SCRIPT FLUSH every script still runs: EVALSHA fails with NOSCRIPT once, the store falls back to EVAL, then EVALSHA again', async () => {
    const { admin } = redis();
    const id = newId();
    const calls = async (): Promise<void> => {
      expect(await store.create(id, record({ a: '1' }))).to.equal('created');
      expect((await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR }))?.data).to.deep.equal({ a: '1' });
      expect(await store.update(id, { set: { b: '2' }, unset: [] })).to.equal('updated');
      expect(await store.replace(id, newId(), meta(), LOGIN_CHANGES)).to.equal('created');
    };
    await admin.script('FLUSH');
    await admin.config('RESETSTAT');
    await calls();
    const afterFlush = await commandStats(admin);
    expect(afterFlush['evalsha'], 'each of the four scripts: one EVALSHA that failed').to.deep.equal({ calls: 4, failed: 4 });
    expect(afterFlush['eval'], 'each of the four scripts: one EVAL that ran it').to.deep.equal({ calls: 4, failed: 0 });

    await admin.config('RESETSTAT');
    await calls();
    const cached = await commandStats(admin);
    expect(cached['evalsha'], 'the scripts are cached again').to.deep.equal({ calls: 4, failed: 0 });
    expect(cached['eval']).to.equal(undefined);
  });
});
