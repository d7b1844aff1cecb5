import { expect } from 'chai';
import { at, byHandle, changesOf, entryOf, HOUR, listing, newHandle, newUserId, seedUser, sleepUntilPast, userRecord, userSessionId, withoutData, type CurrentStore } from '../fixtures.js';
import type { Store, StoredSession } from '@sessionware/core';

/** Seeds `count` live sessions of `userId` created at `t`; answers their ids and records. */
async function seedSessions(store: Store, userId: string, count: number, t: number): Promise<{ ids: string[]; records: StoredSession[] }> {
  const records = Array.from({ length: count }, () => userRecord(userId, { now: t }));
  const ids = [];
  for (const record of records) ids.push(await seedUser(store, record));
  return { ids, records };
}

/** Revoking a user's sessions: one, all, all others; counted; for good (SPEC U4, L4, L5, T8). */
export function describeUserRevokeTests(store: CurrentStore): void {
  describe('revoking a user\'s sessions', () => {
    it('U4: revokeUserSessions with handles destroys only those sessions and answers how many were live', async () => {
      const t = Date.now();
      const userId = newUserId();
      const { ids, records } = await seedSessions(store(), userId, 3, t);
      const [first = '', second = '', third = ''] = ids;
      const handles = records.map((record) => record.handle ?? '');
      expect(await store().revokeUserSessions(userId, { handles: [handles[0] ?? ''] })).to.equal(1);
      expect(await store().load(first, at(t)), 'the revoked session').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(second, records[1] as StoredSession), entryOf(third, records[2] as StoredSession)));
      expect(await store().revokeUserSessions(userId, { handles: [handles[1] ?? '', handles[2] ?? ''] })).to.equal(2);
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('U4, L4: revokeUserSessions without handles destroys every session of the user and no other user\'s', async () => {
      const t = Date.now();
      const userId = newUserId();
      const otherUser = newUserId();
      const { ids } = await seedSessions(store(), userId, 3, t);
      const other = userRecord(otherUser, { now: t });
      const otherId = await seedUser(store(), other);
      expect(await store().revokeUserSessions(userId, {})).to.equal(3);
      for (const id of ids) expect(await store().load(id, at(t))).to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([]);
      expect(await listing(store(), otherUser, t), 'the other user').to.deep.equal([entryOf(otherId, other)]);
      expect(await store().load(otherId, at(t)), 'the other user\'s session').to.not.equal(null);
    });

    it('U4: exceptSessionId keeps that session (revoke all others), also when its handle is selected', async () => {
      const t = Date.now();
      const userId = newUserId();
      const { ids, records } = await seedSessions(store(), userId, 3, t);
      const [current = '', second = ''] = ids;
      expect(await store().revokeUserSessions(userId, { exceptSessionId: current })).to.equal(2);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(current, records[0] as StoredSession)]);
      expect(await store().load(second, at(t))).to.equal(null);

      const currentHandle = records[0]?.handle ?? '';
      expect(await store().revokeUserSessions(userId, { handles: [currentHandle], exceptSessionId: current })).to.equal(0);
      expect(await store().load(current, at(t)), 'the kept session').to.not.equal(null);
    });

    it('U4: unknown handles, another user\'s handles and a user without sessions revoke nothing and answer 0', async () => {
      const t = Date.now();
      const userId = newUserId();
      const otherUser = newUserId();
      const mine = userRecord(userId, { now: t });
      const mineId = await seedUser(store(), mine);
      const theirs = userRecord(otherUser, { now: t });
      const theirsId = await seedUser(store(), theirs);
      expect(await store().revokeUserSessions(userId, { handles: [newHandle()] }), 'an unknown handle').to.equal(0);
      expect(await store().revokeUserSessions(userId, { handles: [theirs.handle ?? ''] }), 'another user\'s handle').to.equal(0);
      expect(await store().revokeUserSessions(userId, { handles: [] }), 'no handles').to.equal(0);
      expect(await store().revokeUserSessions(newUserId(), {}), 'a user without sessions').to.equal(0);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(mineId, mine)]);
      expect(await listing(store(), otherUser, t)).to.deep.equal([entryOf(theirsId, theirs)]);
    });

    it('U4: sessions already destroyed or past a deadline by the real clock are not counted', async () => {
      const t = Date.now();
      const userId = newUserId();
      const destroyed = userRecord(userId, { now: t });
      await store().destroy(await seedUser(store(), destroyed));
      const deadline = t + 50;
      const expiring = { ...userRecord(userId, { now: t }), expiresAt: deadline };
      await seedUser(store(), expiring);
      const past = { ...userRecord(userId, { now: t - 2 * HOUR }), expiresAt: t - HOUR };
      expect(await store().create(userSessionId(userId), past)).to.equal('created');
      const live = await seedUser(store(), userRecord(userId, { now: t }));
      await sleepUntilPast(deadline);
      expect(await store().revokeUserSessions(userId, { handles: [destroyed.handle ?? '', expiring.handle ?? '', past.handle ?? ''] })).to.equal(0);
      expect(await store().revokeUserSessions(userId, {}), 'all: only the live one counts').to.equal(1);
      expect(await store().load(live, at(Date.now()))).to.equal(null);
    });

    it('U4, L5, T8: a revoked session is gone for good: load null, update missing, a racing update does not bring it back', async () => {
      const t = Date.now();
      const userId = newUserId();
      const { ids } = await seedSessions(store(), userId, 2, t);
      const [first = '', second = ''] = ids;
      const user = { id: userId, version: 1, attributes: '{}' };
      const [, raced] = await Promise.all([
        store().revokeUserSessions(userId, {}),
        store().update(second, { set: { a: '1' }, unset: [], user }),
      ]);
      expect(['updated', 'missing']).to.include(raced);
      for (const id of ids) {
        expect(await store().load(id, at(t))).to.equal(null);
        expect(await store().update(id, { set: { b: '2' }, unset: [] })).to.equal('missing');
      }
      expect(await store().replace(first, userSessionId(userId), withoutData(userRecord(userId, { now: t })), changesOf())).to.equal('missing');
      expect(await listing(store(), userId, t)).to.deep.equal([]);
      const again = userRecord(userId, { now: t });
      const againId = await seedUser(store(), again);
      expect(await listing(store(), userId, t), 'a later login is listed').to.deep.equal([entryOf(againId, again)]);
    });

    it('U4, T8: revoke-all racing logins of the same user: afterwards exactly the surviving sessions are listed', async () => {
      const t = Date.now();
      const userId = newUserId();
      await seedSessions(store(), userId, 3, t);
      const records = Array.from({ length: 10 }, () => userRecord(userId, { now: t }));
      const ids = records.map(() => userSessionId(userId));
      await Promise.all([
        ...records.map((record, n) => store().create(ids[n] ?? '', record)),
        store().revokeUserSessions(userId, {}),
      ]);
      const survivors = [];
      for (const [n, id] of ids.entries()) {
        if ((await store().load(id, at(t))) !== null) survivors.push(entryOf(id, records[n] as StoredSession, t));
      }
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(...survivors));
    });
  });
}
