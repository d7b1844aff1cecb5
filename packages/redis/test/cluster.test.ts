// The Redis store on a real 3-master Redis Cluster on loopback (SPEC S1): the shared Store
// conformance suite, and proof that one user's keys share a slot, that a login across slots
// works, and how many scripts each step runs on which node.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { userTag, type DataChanges, type ReplacementSession, type Store, type StoredSession } from '@sessionware/core';
import { describeStoreConformance, HOUR, liveRecord, newId as anonymousId, newUserId, userRecord, userSessionId, withoutData } from '@sessionware/store-test';
import { redisStore } from '@sessionware/redis';
import { commandStats, useRedisCluster } from '@sessionware/test-support';
import { describeClusterLimitTests } from './cluster-limit.js';

/** A live session at `now`, anonymous or of `userId`. */
function record(now: number, userId?: string): StoredSession {
  const data = { a: '"1"' };
  return userId === undefined ? liveRecord(data, now) : userRecord(userId, { data, now, attributes: '{"name":"Ann"}', userAgent: 'cluster-test' });
}

/** A login's new session, without the data `replace` carries over. */
const meta = (now: number, userId?: string): ReplacementSession => withoutData(record(now, userId));

/** A login's changes to the old data: one key set, one removed. */
const LOGIN_CHANGES: DataChanges = { set: { who: '"ann"' }, unset: ['a'] };

describe('redisStore on a real 3-master Redis Cluster (S1)', () => {
  const fixture = useRedisCluster();

  describeStoreConformance('redisStore on Redis Cluster', {
    create: () => redisStore(fixture().client, { prefix: `conformance:${randomUUID()}:` }),
  });

  describe('slots and round trips', () => {
    let prefix: string;
    let store: Store;

    beforeEach(() => {
      prefix = `cluster:${randomUUID()}:`;
      store = redisStore(fixture().client, { prefix });
    });

    const slotOf = async (key: string): Promise<number> => Number(await fixture().admins[0]?.cluster('KEYSLOT', key));

    /** Commands run on each node (summed over the nodes) while `action` runs, and on how many nodes scripts ran. */
    async function countOnNodes(action: () => Promise<unknown>): Promise<{ total: Record<string, number>; nodesWithScripts: number }> {
      const admins: readonly Redis[] = fixture().admins;
      await Promise.all(admins.map((admin) => admin.config('RESETSTAT')));
      await action();
      const total: Record<string, number> = {};
      let nodesWithScripts = 0;
      for (const stats of await Promise.all(admins.map((admin) => commandStats(admin)))) {
        // Each node also counts the INFO of the measurement itself.
        delete stats['info'];
        if ((stats['evalsha']?.calls ?? 0) + (stats['eval']?.calls ?? 0) > 0) nodesWithScripts += 1;
        for (const [name, { calls }] of Object.entries(stats)) total[name] = (total[name] ?? 0) + calls;
      }
      return { total, nodesWithScripts };
    }

    it('S1: the cluster is three masters sharing the 16384 slots, and anonymous sessions spread over them', async () => {
      const info = String(await fixture().admins[0]?.cluster('INFO'));
      expect(info).to.match(/cluster_state:ok/).and.match(/cluster_size:3/).and.match(/cluster_slots_assigned:16384/);
      const t = Date.now();
      const ids = Array.from({ length: 30 }, anonymousId);
      for (const id of ids) expect(await store.create(id, record(t))).to.equal('created');
      const perNode = await Promise.all(fixture().admins.map(async (admin) => (await admin.keys(`${prefix}*`)).length));
      expect(perNode.reduce((a, b) => a + b)).to.equal(30);
      expect(perNode.filter((count) => count > 0).length, `keys per node: ${perNode.join(', ')}`).to.be.at.least(2);
    });

    it('S1: every key of one user (sessions and index) is in one slot, on one node', async () => {
      const t = Date.now();
      const userId = newUserId();
      const ids = Array.from({ length: 5 }, () => userSessionId(userId));
      for (const id of ids) expect(await store.create(id, record(t, userId))).to.equal('created');
      const tag = userTag(userId);
      const indexKey = `${prefix}u:{${tag}}`;
      const keys = [indexKey, ...ids.map((id) => `${prefix}s:{${tag}}${id.slice(tag.length + 1)}`)];
      const slots = await Promise.all(keys.map(slotOf));
      expect(new Set(slots).size, `slots: ${slots.join(', ')}`).to.equal(1);
      const holders = await Promise.all(fixture().admins.map(async (admin) => (await admin.keys(`${prefix}*`)).sort()));
      expect(holders.filter((held) => held.length > 0), 'one node holds them all').to.deep.equal([[...keys].sort()]);
      expect(await store.listUserSessions(userId, t)).to.have.length(5);
    });

    it('S1, U2, T2: load of a user\'s session is one script on one node, which also reads the user\'s version', async () => {
      const t = Date.now();
      const userId = newUserId();
      const id = userSessionId(userId);
      await store.create(id, record(t, userId));
      await store.markUserChanged(userId);
      await store.load(id, { now: t, idleTimeoutMs: HOUR }); // the script is cached on that node from here
      const { total, nodesWithScripts } = await countOnNodes(async () => {
        expect((await store.load(id, { now: t, idleTimeoutMs: HOUR }))?.userVersion).to.equal(1);
      });
      expect(total).to.deep.equal({ evalsha: 1, hgetall: 1, hset: 1, pexpireat: 1, hget: 1 });
      expect(nodesWithScripts).to.equal(1);
    });

    it('S1, T6, T8: login from an anonymous session in another slot works in three scripts; the new session is written only after the old one is deleted, with its data as it was then and the login\'s changes', async () => {
      const t = Date.now();
      const userId = newUserId();
      const newId = userSessionId(userId);
      const newKey = `${prefix}s:{${userTag(userId)}}${newId.slice(23)}`;
      let oldId = anonymousId();
      while ((await slotOf(`${prefix}s:{${oldId}}`)) === (await slotOf(newKey))) oldId = anonymousId();
      const oldKey = `${prefix}s:{${oldId}}`;
      await store.create(oldId, record(t));
      // A write acknowledged on the old id after the login loaded it.
      expect(await store.update(oldId, { set: { cart: '["pen"]' }, unset: [] })).to.equal('updated');
      await store.replace(anonymousId(), anonymousId(), meta(t), LOGIN_CHANGES); // loads the scripts on the nodes

      // MONITOR on every node timestamps each command, the scripts' own included (same host clock).
      const monitors = await Promise.all(fixture().admins.map((admin) => admin.monitor()));
      const seen: { time: number; args: string[] }[] = [];
      const indexKey = `${prefix}u:{${userTag(userId)}}`;
      // MONITOR output may trail the replies: the login's last write, to its user index, ends it.
      const indexed = new Promise<void>((resolve) => {
        for (const monitor of monitors) {
          monitor.on('monitor', (time: string, args: string[]) => {
            seen.push({ time: Number(time), args });
            if (args[0]?.toLowerCase() === 'hset' && args[1] === indexKey) resolve();
          });
        }
      });
      let total: Record<string, number>;
      try {
        ({ total } = await countOnNodes(async () => expect(await store.replace(oldId, newId, meta(t, userId), LOGIN_CHANGES)).to.equal('created')));
        await indexed;
      } finally {
        for (const monitor of monitors) monitor.disconnect();
      }
      expect((total['evalsha'] ?? 0) + (total['eval'] ?? 0), 'reserve, take, create').to.equal(3);
      const firstTime = (name: string, key: string, field?: string): number =>
        Math.min(...seen.filter(({ args }) => args[0]?.toLowerCase() === name && args[1] === key && (field === undefined || args[2] === field)).map(({ time }) => time));
      const oldDeleted = firstTime('del', oldKey);
      const newWritten = firstTime('hset', newKey, 'm:createdAt');
      expect(Number.isFinite(oldDeleted), 'the old session is deleted').to.equal(true);
      expect(Number.isFinite(newWritten), 'the new session is written').to.equal(true);
      expect(oldDeleted, 'old deleted before new written').to.be.below(newWritten);
      expect(await store.load(oldId, { now: t, idleTimeoutMs: HOUR })).to.equal(null);
      const loaded = await store.load(newId, { now: t, idleTimeoutMs: HOUR });
      expect(loaded?.user?.id).to.equal(userId);
      expect(loaded?.data).to.deep.equal({ cart: '["pen"]', who: '"ann"' });
      expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId)).to.deep.equal([newId]);
    });

    it('S1, T6, T8: a user\'s re-login (same tag, same slot) is one script on one node, which merges the login\'s changes into the old data as it is then', async () => {
      const t = Date.now();
      const userId = newUserId();
      const oldId = userSessionId(userId);
      await store.create(oldId, record(t, userId));
      expect(await store.update(oldId, { set: { cart: '["pen"]' }, unset: [] })).to.equal('updated');
      await store.replace(userSessionId(userId), userSessionId(userId), meta(t, userId), LOGIN_CHANGES); // warm the script
      const newId = userSessionId(userId);
      const { total, nodesWithScripts } = await countOnNodes(async () => expect(await store.replace(oldId, newId, meta(t, userId), LOGIN_CHANGES)).to.equal('created'));
      expect((total['evalsha'] ?? 0) + (total['eval'] ?? 0)).to.equal(1);
      expect(nodesWithScripts).to.equal(1);
      expect((await store.load(newId, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ cart: '["pen"]', who: '"ann"' });
      expect((await store.listUserSessions(userId, t)).map((entry) => entry.sessionId)).to.deep.equal([newId]);
    });

    it('S1, U4: user A\'s session replaced by user B\'s across slots leaves A\'s index and fills B\'s', async () => {
      const t = Date.now();
      const userA = newUserId();
      const userB = newUserId();
      const oldId = userSessionId(userA);
      await store.create(oldId, record(t, userA));
      const newId = userSessionId(userB);
      expect(await store.replace(oldId, newId, meta(t, userB), LOGIN_CHANGES)).to.equal('created');
      expect(await store.listUserSessions(userA, t)).to.deep.equal([]);
      expect((await store.listUserSessions(userB, t)).map((entry) => entry.sessionId)).to.deep.equal([newId]);
      expect(await store.revokeUserSessions(userB, {})).to.equal(1);
      expect(await store.load(newId, { now: t, idleTimeoutMs: HOUR })).to.equal(null);
    });
  });

  describeClusterLimitTests(fixture);
});
