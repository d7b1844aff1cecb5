import { expect } from 'chai';
import { at, byHandle, entryOf, HOUR, listing, MINUTE, newUserId, seedUser, userRecord, userSessionId, type CurrentStore } from '../fixtures.js';

/** The per-user index behind `listUserSessions`: create, load, destroy and time keep it exact (SPEC U4). */
export function describeUserIndexTests(store: CurrentStore): void {
  describe('user index and listing', () => {
    it('U4: listUserSessions lists each live session of the user once: handle, id, createdAt, lastSeenAt, userAgent', async () => {
      const t = Date.now();
      const userId = newUserId();
      const withAgent = userRecord(userId, { now: t - MINUTE, userAgent: 'Mozilla/5.0 (iPhone)' });
      const withoutAgent = userRecord(userId, { now: t });
      const first = await seedUser(store(), withAgent);
      const second = await seedUser(store(), withoutAgent);
      const otherUser = newUserId();
      const other = userRecord(otherUser, { now: t });
      const otherId = await seedUser(store(), other);

      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(first, withAgent), entryOf(second, withoutAgent)));
      expect(await listing(store(), otherUser, t), 'another user').to.deep.equal([entryOf(otherId, other)]);
      const [entry] = await store().listUserSessions(otherUser, t);
      expect(entry, 'a session without a user agent').to.not.have.property('userAgent');
    });

    it('U4: a user with no session lists nothing', async () => {
      expect(await store().listUserSessions(newUserId(), Date.now())).to.deep.equal([]);
    });

    it('U4, T2: the listing shows lastSeenAt as the last load set it', async () => {
      const t = Date.now();
      const userId = newUserId();
      const record = userRecord(userId, { now: t - MINUTE });
      const id = await seedUser(store(), record);
      await store().load(id, at(t + 5_000));
      expect(await listing(store(), userId, t + 5_000)).to.deep.equal([entryOf(id, record, t + 5_000)]);
    });

    it('U4: a destroyed session is no longer listed; the user\'s other sessions still are', async () => {
      const t = Date.now();
      const userId = newUserId();
      const kept = userRecord(userId, { now: t });
      const keptId = await seedUser(store(), kept);
      const gone = await seedUser(store(), userRecord(userId, { now: t }));
      await store().destroy(gone);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(keptId, kept)]);
      await store().destroy(keptId);
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('U4, T2: sessions past either deadline at the given now are not listed, and their entries are removed on the way', async () => {
      const t = Date.now();
      const userId = newUserId();
      await seedUser(store(), { ...userRecord(userId, { now: t }), expiresAt: t + 10_000 });
      await seedUser(store(), { ...userRecord(userId, { now: t }), expiresAt: t + HOUR, absoluteExpiresAt: t + 20_000 });
      const live = userRecord(userId, { now: t });
      const liveId = await seedUser(store(), live);
      expect(await listing(store(), userId, t), 'before either deadline').to.have.length(3);
      expect(await listing(store(), userId, t + 30_000), 'past both').to.deep.equal([entryOf(liveId, live)]);
      expect(await listing(store(), userId, t), 'listed again at an earlier time: the entries are gone').to.deep.equal([entryOf(liveId, live)]);
    });

    it('U4, T2: a session whose load found it expired, or created already expired, is not listed', async () => {
      const t = Date.now();
      const userId = newUserId();
      const expiring = await seedUser(store(), { ...userRecord(userId, { now: t }), expiresAt: t + 10_000 });
      expect(await store().load(expiring, at(t + 10_001))).to.equal(null);
      const past = { ...userRecord(userId, { now: t - 2 * HOUR }), expiresAt: t - HOUR };
      expect(await store().create(userSessionId(userId), past)).to.equal('created');
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('U4, T5: create answering exists leaves the listing as it was', async () => {
      const t = Date.now();
      const userId = newUserId();
      const record = userRecord(userId, { now: t });
      const id = await seedUser(store(), record);
      expect(await store().create(id, userRecord(userId, { now: t, userAgent: 'intruder' }))).to.equal('exists');
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(id, record)]);
    });

    it('U4: one user\'s many sessions are all listed (20 created at once)', async () => {
      const t = Date.now();
      const userId = newUserId();
      const records = Array.from({ length: 20 }, (_, n) => userRecord(userId, { now: t, userAgent: `agent ${n}` }));
      const ids = records.map(() => userSessionId(userId));
      const results = await Promise.all(records.map((record, n) => store().create(ids[n] ?? '', record)));
      expect(new Set(results)).to.deep.equal(new Set(['created']));
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(...records.map((record, n) => entryOf(ids[n] ?? '', record))));
    });
  });
}
