// The session limit of a login on a real Redis Cluster (SPEC P4, S1), run by cluster.test.ts
// on its cluster: within the user's slot, and on the login across slots (reserve, take, create).
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Cluster } from 'ioredis';
import type { SessionLimit, Store, StoredSession } from '@sessionware/core';
import { HOUR, liveRecord, newId as anonymousId, newUserId, userRecord, userSessionId, withoutData } from '@sessionware/store-test';
import { redisStore } from '@sessionware/redis';
import { commandStats, createGate, type RedisClusterFixture } from '@sessionware/test-support';
import { sessionKeys } from '../src/internal/layout.js';
import { TAKE_SCRIPT } from '../src/internal/scripts/take.js';

const REFUSE_ONE: SessionLimit = { max: 1, onLimit: 'refuse' };
const END_ONE: SessionLimit = { max: 1, onLimit: 'end-least-recent' };

/** A live session of `userId` at `now`. */
const userSession = (userId: string, now: number): StoredSession => userRecord(userId, { now, attributes: '{}', userAgent: 'cluster-limit' });

/** The Cluster client with its EVALSHA of the take script held at `hold` first: a login across slots stops between reserve and take. */
function holdingTake(client: Cluster, hold: () => Promise<void>): Cluster {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property !== 'evalsha') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      return async (...args: Parameters<Cluster['evalsha']>) => {
        if (args[0] === TAKE_SCRIPT.sha) await hold();
        return target.evalsha(...args);
      };
    },
  });
}

/** The tests; `fixture` is cluster.test.ts's running cluster. */
export function describeClusterLimitTests(fixture: () => RedisClusterFixture): void {
  describe('session limit of a login on the Cluster (P4)', () => {
    let prefix: string;
    let store: Store;

    beforeEach(() => {
      prefix = `limit:${randomUUID()}:`;
      store = redisStore(fixture().client, { prefix });
    });

    const slotOf = async (key: string): Promise<number> => Number(await fixture().admins[0]?.cluster('KEYSLOT', key));
    const keyOf = (id: string): string => sessionKeys(prefix, id).sessionKey;
    const listed = async (userId: string): Promise<string[]> => (await store.listUserSessions(userId, Date.now())).map((entry) => entry.sessionId).sort();

    /** Scripts run over all nodes while `action` runs. */
    async function scriptsRun(action: () => Promise<unknown>): Promise<number> {
      await Promise.all(fixture().admins.map((admin) => admin.config('RESETSTAT')));
      await action();
      let scripts = 0;
      for (const stats of await Promise.all(fixture().admins.map((admin) => commandStats(admin)))) scripts += (stats['evalsha']?.calls ?? 0) + (stats['eval']?.calls ?? 0);
      return scripts;
    }

    /** An anonymous session with data whose key is in another slot than `newId`'s. */
    async function anonymousElsewhere(newId: string, now: number): Promise<string> {
      const newSlot = await slotOf(keyOf(newId));
      let oldId = anonymousId();
      while ((await slotOf(keyOf(oldId))) === newSlot) oldId = anonymousId();
      expect(await store.create(oldId, liveRecord({ cart: '["pen"]' }, now))).to.equal('created');
      return oldId;
    }

    it('P4, S1: in the user\'s slot, a create and a re-login at the cap are one script each, and the cap holds', async () => {
      const t = Date.now();
      const userId = newUserId();
      const first = userSessionId(userId);
      await store.create(first, userSession(userId, t - 1_000));
      await store.create(userSessionId(userId), userSession(userId, t), END_ONE); // the scripts are cached from here
      const second = userSessionId(userId);
      expect(await scriptsRun(async () => expect(await store.create(second, userSession(userId, t), END_ONE)).to.equal('created'))).to.equal(1);
      expect(await listed(userId)).to.deep.equal([second]);
      const third = userSessionId(userId);
      expect(await store.create(third, userSession(userId, t), REFUSE_ONE)).to.equal('limited');
      // A re-login whose old session is gone: the replace script is cached on the user's node from here.
      expect(await store.replace(userSessionId(userId), userSessionId(userId), withoutData(userSession(userId, t)), { set: {}, unset: [] }, REFUSE_ONE)).to.equal('missing');
      const relogin = userSessionId(userId);
      expect(await scriptsRun(async () => expect(await store.replace(second, relogin, withoutData(userSession(userId, t)), { set: {}, unset: [] }, REFUSE_ONE)).to.equal('created'))).to.equal(1);
      expect(await listed(userId)).to.deep.equal([relogin]);
    });

    it('P4, S1, T6: an anonymous session logging in across slots at the cap ends the least recently seen session in its final create', async () => {
      const t = Date.now();
      const userId = newUserId();
      const existing = userSessionId(userId);
      await store.create(existing, userSession(userId, t));
      const newId = userSessionId(userId);
      const oldId = await anonymousElsewhere(newId, t);
      expect(await store.replace(oldId, newId, withoutData(userSession(userId, t)), { set: { who: '"ann"' }, unset: [] }, END_ONE)).to.equal('created');
      expect(await store.load(existing, { now: t, idleTimeoutMs: HOUR }), 'the least recently seen').to.equal(null);
      expect(await store.load(oldId, { now: t, idleTimeoutMs: HOUR }), 'the old id').to.equal(null);
      expect((await store.load(newId, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ cart: '["pen"]', who: '"ann"' });
      expect(await listed(userId)).to.deep.equal([newId]);
    });

    it('P4, S1, T8: an anonymous session logging in across slots at a refusing cap is refused by the reserve: one script, nothing written, the old session still live', async () => {
      const t = Date.now();
      const userId = newUserId();
      const existing = userSessionId(userId);
      await store.create(existing, userSession(userId, t));
      const newId = userSessionId(userId);
      const oldId = await anonymousElsewhere(newId, t);
      // Refused by the reserve on the user's node too: the script is cached there from here.
      await store.replace(anonymousId(), userSessionId(userId), withoutData(userSession(userId, t)), { set: {}, unset: [] }, REFUSE_ONE);
      const refused = async (): Promise<void> => {
        expect(await store.replace(oldId, newId, withoutData(userSession(userId, t)), { set: {}, unset: [] }, REFUSE_ONE)).to.equal('limited');
      };
      expect(await scriptsRun(refused), 'the reserve only').to.equal(1);
      expect((await store.load(oldId, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ cart: '["pen"]' });
      expect(await fixture().client.exists(keyOf(newId)), 'no reservation left').to.equal(0);
      expect(await listed(userId)).to.deep.equal([existing]);
    });

    it('P4, S1: when the cap fills between the reserve and the create, the login across slots is refused, its taken anonymous session is gone (logged out), the reservation released, and the cap holds', async () => {
      const t = Date.now();
      const userId = newUserId();
      const newId = userSessionId(userId);
      const oldId = await anonymousElsewhere(newId, t);
      const gate = createGate();
      const held = redisStore(holdingTake(fixture().client, () => gate.pass()), { prefix });
      const login = held.replace(oldId, newId, withoutData(userSession(userId, t)), { set: {}, unset: [] }, REFUSE_ONE);
      await gate.reached;
      const other = userSessionId(userId);
      expect(await store.create(other, userSession(userId, t), REFUSE_ONE), 'a login on another device fills the cap').to.equal('created');
      gate.release();
      expect(await login).to.equal('limited');
      expect(await store.load(oldId, { now: t, idleTimeoutMs: HOUR }), 'the taken old session').to.equal(null);
      expect(await store.load(newId, { now: t, idleTimeoutMs: HOUR })).to.equal(null);
      expect(await fixture().client.exists(keyOf(newId)), 'the reservation released').to.equal(0);
      expect(await listed(userId)).to.deep.equal([other]);
    });
  });
}
