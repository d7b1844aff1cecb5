import { expect } from 'chai';
import { asLoadedUser, at, byHandle, changesOf, entryOf, HOUR, listing, liveRecord, newId, newUserId, seed, seedUser, userRecord, userSessionId, withoutData, type CurrentStore } from '../fixtures.js';

/** `replace` (login, `regenerate()`) moves a session between ids and keeps the user indexes exact (SPEC T6, U4). */
export function describeUserLoginTests(store: CurrentStore): void {
  describe('login with users', () => {
    it('T6, U1, U4: replace of an anonymous session by a user\'s session (login) removes the old id and lists the new one', async () => {
      const t = Date.now();
      const userId = newUserId();
      const oldId = await seed(store(), liveRecord({ cart: '["apple"]' }, t));
      const newSessionId = userSessionId(userId);
      const record = userRecord(userId, { data: { cart: '["apple"]', who: '"ann"' }, now: t, userAgent: 'curl/8.5.0' });
      expect(await store().replace(oldId, newSessionId, withoutData(record), changesOf({ who: '"ann"' }))).to.equal('created');
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await store().load(newSessionId, at(t))).to.deep.equal(asLoadedUser(record, t, HOUR, 0));
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(newSessionId, record, t)]);
    });

    it('T6, U4: replace of a user\'s session by a new one of the same user swaps its entry in the listing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const other = userRecord(userId, { now: t });
      const otherId = await seedUser(store(), other);
      const oldId = await seedUser(store(), userRecord(userId, { now: t }));
      const newSessionId = userSessionId(userId);
      const record = userRecord(userId, { now: t });
      expect(await store().replace(oldId, newSessionId, withoutData(record), changesOf())).to.equal('created');
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(otherId, other), entryOf(newSessionId, record)));
    });

    it('T6, U4: replace that keeps the session\'s handle lists the new id under it, once', async () => {
      const t = Date.now();
      const userId = newUserId();
      const old = userRecord(userId, { now: t });
      const oldId = await seedUser(store(), old);
      const newSessionId = userSessionId(userId);
      const record = userRecord(userId, { now: t, ...(old.handle === undefined ? {} : { handle: old.handle }) });
      expect(await store().replace(oldId, newSessionId, withoutData(record), changesOf())).to.equal('created');
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(newSessionId, record)]);
    });

    it('T6, U4: replace of user A\'s session by user B\'s moves it from A\'s listing to B\'s', async () => {
      const t = Date.now();
      const userA = newUserId();
      const userB = newUserId();
      const oldId = await seedUser(store(), userRecord(userA, { now: t }));
      const newSessionId = userSessionId(userB);
      const record = userRecord(userB, { now: t });
      expect(await store().replace(oldId, newSessionId, withoutData(record), changesOf())).to.equal('created');
      expect(await store().load(oldId, at(t))).to.equal(null);
      expect(await listing(store(), userA, t), 'A').to.deep.equal([]);
      expect(await listing(store(), userB, t), 'B').to.deep.equal([entryOf(newSessionId, record)]);
    });

    it('T6, U4: replace of a user\'s session by an anonymous one removes it from the user\'s listing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const oldId = await seedUser(store(), userRecord(userId, { now: t }));
      const newSessionId = newId();
      expect(await store().replace(oldId, newSessionId, withoutData(liveRecord({}, t)), changesOf({ a: '1' }))).to.equal('created');
      expect((await store().load(newSessionId, at(t)))?.data).to.deep.equal({ a: '1' });
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('T6, U4: replace answering exists changes no listing and leaves both sessions', async () => {
      const t = Date.now();
      const userId = newUserId();
      const old = userRecord(userId, { now: t });
      const taken = userRecord(userId, { now: t });
      const oldId = await seedUser(store(), old);
      const takenId = await seedUser(store(), taken);
      expect(await store().replace(oldId, takenId, withoutData(userRecord(userId, { now: t })), changesOf({ a: '1' }))).to.equal('exists');
      expect(await listing(store(), userId, t)).to.deep.equal(byHandle(entryOf(oldId, old), entryOf(takenId, taken)));
      expect(await store().load(oldId, at(t))).to.deep.equal(asLoadedUser(old, t, HOUR, 0));
      expect(await store().load(takenId, at(t))).to.deep.equal(asLoadedUser(taken, t, HOUR, 0));
    });

    it('T6, T8, U4: replace whose old session is gone answers missing and lists nothing new', async () => {
      const t = Date.now();
      const userId = newUserId();
      const oldId = await seedUser(store(), userRecord(userId, { now: t }));
      await store().destroy(oldId);
      const newSessionId = userSessionId(userId);
      expect(await store().replace(oldId, newSessionId, withoutData(userRecord(userId, { now: t })), changesOf({ a: '1' }))).to.equal('missing');
      expect(await store().load(newSessionId, at(t))).to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('T6, U2: after login the new session loads the user\'s current version', async () => {
      const t = Date.now();
      const userId = newUserId();
      await seedUser(store(), userRecord(userId, { now: t }));
      await store().markUserChanged(userId);
      const version = await store().userVersion(userId);
      const oldId = await seed(store(), liveRecord({}, t));
      const newSessionId = userSessionId(userId);
      const record = userRecord(userId, { now: t, version });
      expect(await store().replace(oldId, newSessionId, withoutData(record), changesOf())).to.equal('created');
      expect(await store().load(newSessionId, at(t))).to.deep.equal(asLoadedUser(record, t, HOUR, version));
    });
  });
}
