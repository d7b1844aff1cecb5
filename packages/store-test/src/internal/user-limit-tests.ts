import { expect } from 'chai';
import type { SessionLimit, StoredSession } from '@sessionware/core';
import { at, byHandle, changesOf, entryOf, HOUR, listing, liveRecord, loadLive, MINUTE, newId, newUserId, seed, seedUser, userRecord, userSessionId, withoutData, type CurrentStore } from '../fixtures.js';

const end = (max: number): SessionLimit => ({ max, onLimit: 'end-least-recent' });
const refuse = (max: number): SessionLimit => ({ max, onLimit: 'refuse' });

/** A user's live record created and last seen `ago` milliseconds before `t`. */
const seenAgo = (userId: string, t: number, ago: number): StoredSession => userRecord(userId, { now: t - ago });

/** The session limit of a login, applied by `create` and `replace` in the same step as the write (SPEC P4). */
export function describeUserLimitTests(store: CurrentStore): void {
  describe('session limit of a login (P4)', () => {
    it('P4: create under the limit creates, ending nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const first = seenAgo(userId, t, MINUTE);
      const firstId = await seedUser(store(), first);
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().create(id, record, refuse(2))).to.equal('created');
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(firstId, first), entryOf(id, record)));
    });

    it('P4: create at the limit with end-least-recent ends the least recently seen session, chosen by lastSeenAt as loads set it', async () => {
      const t = Date.now();
      const userId = newUserId();
      const [a, b, c] = [seenAgo(userId, t, 3 * MINUTE), seenAgo(userId, t, 2 * MINUTE), seenAgo(userId, t, MINUTE)];
      const [aId, bId, cId] = [await seedUser(store(), a), await seedUser(store(), b), await seedUser(store(), c)];
      // The oldest session is used again: the least recently seen is now b.
      await loadLive(store(), aId, at(t + 1_000));
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().create(id, record, end(3))).to.equal('created');
      expect(await store().load(bId, at(t)), 'the least recently seen').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(aId, a, t + 1_000), entryOf(cId, c), entryOf(id, record)));
    });

    it('P4: create over the limit (lowered since) ends the least recently seen until max - 1 are left', async () => {
      const t = Date.now();
      const userId = newUserId();
      const records = [4, 3, 2, 1].map((minutes) => seenAgo(userId, t, minutes * MINUTE));
      const ids: string[] = [];
      for (const record of records) ids.push(await seedUser(store(), record));
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().create(id, record, end(2))).to.equal('created');
      const kept = records[3] as StoredSession;
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(ids[3] ?? '', kept), entryOf(id, record)));
    });

    it('P4: between sessions last seen at the same time, the one created first is ended', async () => {
      const t = Date.now();
      const userId = newUserId();
      const older = { ...userRecord(userId, { now: t - MINUTE }), createdAt: t - 2 * MINUTE };
      const newer = userRecord(userId, { now: t - MINUTE });
      const olderId = await seedUser(store(), older);
      const newerId = await seedUser(store(), newer);
      const id = userSessionId(userId);
      const record = userRecord(userId, { now: t });
      expect(await store().create(id, record, end(2))).to.equal('created');
      expect(await store().load(olderId, at(t))).to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(newerId, newer), entryOf(id, record)));
    });

    it('P4: create at the limit with refuse answers limited and writes nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const existing = [seenAgo(userId, t, 2 * MINUTE), seenAgo(userId, t, MINUTE)];
      const ids = [await seedUser(store(), existing[0] as StoredSession), await seedUser(store(), existing[1] as StoredSession)];
      const id = userSessionId(userId);
      expect(await store().create(id, userRecord(userId, { now: t }), refuse(2))).to.equal('limited');
      expect(await store().load(id, at(t)), 'the refused session').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(...existing.map((record, n) => entryOf(ids[n] ?? '', record))));
      expect(await store().create(id, userRecord(userId, { now: t })), 'its id was left free').to.equal('created');
    });

    it('P4, T5: create onto a taken id answers exists, not limited, and ends nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const record = seenAgo(userId, t, MINUTE);
      const id = await seedUser(store(), record);
      expect(await store().create(id, userRecord(userId, { now: t }), refuse(1))).to.equal('exists');
      expect(await store().create(id, userRecord(userId, { now: t }), end(1))).to.equal('exists');
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(id, record)]);
    });

    it('P4, T2: sessions past a deadline do not count', async () => {
      const t = Date.now();
      const userId = newUserId();
      await seedUser(store(), { ...userRecord(userId, { now: t - 2 * HOUR }), expiresAt: t - HOUR });
      await seedUser(store(), { ...userRecord(userId, { now: t - 2 * HOUR }), absoluteExpiresAt: t - HOUR });
      const live = seenAgo(userId, t, MINUTE);
      const liveId = await seedUser(store(), live);
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().create(id, record, refuse(2))).to.equal('created');
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(liveId, live), entryOf(id, record)));
    });

    it('P4: only the user\'s own sessions count, and a record without a user ignores the limit', async () => {
      const t = Date.now();
      const userId = newUserId();
      const other = newUserId();
      const otherRecord = seenAgo(other, t, MINUTE);
      const otherId = await seedUser(store(), otherRecord);
      expect(await store().create(userSessionId(userId), userRecord(userId, { now: t }), refuse(1)), 'another user\'s session').to.equal('created');
      expect(await store().create(newId(), liveRecord({}, t), refuse(1)), 'an anonymous session').to.equal('created');
      expect(await listing(store(), other, t)).to.deep.equal([entryOf(otherId, otherRecord)]);
    });

    it('P4: without a limit a user\'s sessions are not capped', async () => {
      const t = Date.now();
      const userId = newUserId();
      for (let n = 0; n < 5; n += 1) await seedUser(store(), seenAgo(userId, t, MINUTE));
      expect(await store().create(userSessionId(userId), userRecord(userId, { now: t }))).to.equal('created');
      const oldId = await seed(store(), liveRecord({}, t));
      expect(await store().replace(oldId, userSessionId(userId), withoutData(userRecord(userId, { now: t })), changesOf())).to.equal('created');
      expect(await listing(store(), userId, t)).to.have.length(7);
    });

    it('P4, T6: replace does not count its old session: a re-login at the limit creates and ends nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const other = seenAgo(userId, t, 2 * MINUTE);
      const otherId = await seedUser(store(), other);
      const oldId = await seedUser(store(), seenAgo(userId, t, MINUTE));
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().replace(oldId, id, withoutData(record), changesOf(), refuse(2))).to.equal('created');
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(otherId, other), entryOf(id, record)));
    });

    it('P4, T6, T8: replace of an anonymous session at the limit with refuse answers limited; the old session stays live with its data', async () => {
      const t = Date.now();
      const userId = newUserId();
      const existing = seenAgo(userId, t, MINUTE);
      const existingId = await seedUser(store(), existing);
      const oldId = await seed(store(), liveRecord({ cart: '["pen"]' }, t));
      const id = userSessionId(userId);
      expect(await store().replace(oldId, id, withoutData(userRecord(userId, { now: t })), changesOf({ who: '"ann"' }), refuse(1))).to.equal('limited');
      expect((await loadLive(store(), oldId, at(t), 'the old session')).data).to.deep.equal({ cart: '["pen"]' });
      expect(await store().load(id, at(t)), 'the refused session').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(existingId, existing)]);
    });

    it('P4, T6, T8: replace of an anonymous session at the limit with end-least-recent ends the least recently seen and carries the data over', async () => {
      const t = Date.now();
      const userId = newUserId();
      const least = await seedUser(store(), seenAgo(userId, t, 2 * MINUTE));
      const recent = seenAgo(userId, t, MINUTE);
      const recentId = await seedUser(store(), recent);
      const oldId = await seed(store(), liveRecord({ cart: '["pen"]' }, t));
      const record = userRecord(userId, { now: t });
      const id = userSessionId(userId);
      expect(await store().replace(oldId, id, withoutData(record), changesOf({ who: '"ann"' }), end(2))).to.equal('created');
      expect(await store().load(least, at(t)), 'the least recently seen').to.equal(null);
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ cart: '["pen"]', who: '"ann"' });
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(recentId, recent), entryOf(id, record, t)));
    });

    it('P4, T8: replace whose old session is gone answers missing, not limited, and ends nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const existing = seenAgo(userId, t, MINUTE);
      const existingId = await seedUser(store(), existing);
      const oldId = await seed(store(), liveRecord({}, t));
      await store().destroy(oldId);
      expect(await store().replace(oldId, userSessionId(userId), withoutData(userRecord(userId, { now: t })), changesOf(), end(1))).to.equal('missing');
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(existingId, existing)]);
    });

    for (const limit of [refuse(2), end(2)]) {
      it(`P4, T9: ten concurrent logins of one user under ${limit.onLimit} leave at most max live sessions`, async () => {
        const t = Date.now();
        const userId = newUserId();
        const results = await Promise.all(Array.from({ length: 10 }, async (_, n) => {
          if (n % 2 === 0) return store().create(userSessionId(userId), userRecord(userId, { now: t }), limit);
          const oldId = await seed(store(), liveRecord({}, t));
          return store().replace(oldId, userSessionId(userId), withoutData(userRecord(userId, { now: t })), changesOf(), limit);
        }));
        const listed = await listing(store(), userId, t);
        expect(listed).to.have.length(2);
        if (limit.onLimit === 'refuse') expect(results.filter((result) => result === 'created')).to.have.length(2);
        else expect(new Set(results)).to.deep.equal(new Set(['created']));
      });
    }
  });
}
