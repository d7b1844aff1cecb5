import { expect } from 'chai';
import { asLoaded, asLoadedUser, at, HOUR, listing, liveRecord, loadLive, newUserId, seed, seedUser, userRecord, type CurrentStore } from '../fixtures.js';

/** A session's user copy, the user's change version, and `load` reading both (SPEC U1, U2). */
export function describeUserVersionTests(store: CurrentStore): void {
  describe('user change version', () => {
    it('U1, U2: load of a user\'s session answers its user copy, handle and user agent, and userVersion 0 for a user never changed', async () => {
      const t = Date.now();
      const record = userRecord(newUserId(), { data: { theme: '"dark"' }, now: t, version: 0, userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' });
      const id = await seedUser(store(), record);
      expect(await store().load(id, at(t))).to.deep.equal(asLoadedUser(record, t, HOUR, 0));
    });

    it('U2: load answers userVersion exactly for a session with a user: an anonymous session has none', async () => {
      const t = Date.now();
      const record = liveRecord({ a: '1' }, t);
      const id = await seed(store(), record);
      const loaded = await loadLive(store(), id, at(t));
      expect(loaded).to.not.have.property('userVersion');
      expect(loaded).to.not.have.property('user');
      expect(loaded).to.deep.equal(asLoaded(record, t, HOUR));
    });

    it('U2: userVersion of a user never changed is 0, with or without sessions', async () => {
      expect(await store().userVersion(newUserId()), 'a user with no session').to.equal(0);
      const userId = newUserId();
      await seedUser(store(), userRecord(userId));
      expect(await store().userVersion(userId), 'a user with a session').to.equal(0);
    });

    it('U2: markUserChanged raises the version that every session of that user loads, and no other user\'s', async () => {
      const t = Date.now();
      const userId = newUserId();
      const otherUser = newUserId();
      const first = await seedUser(store(), userRecord(userId, { now: t }));
      const second = await seedUser(store(), userRecord(userId, { now: t }));
      const other = await seedUser(store(), userRecord(otherUser, { now: t }));

      await store().markUserChanged(userId);
      const bumped = await store().userVersion(userId);
      expect(bumped, 'the version after markUserChanged').to.be.above(0);
      for (const id of [first, second]) {
        const loaded = await loadLive(store(), id, at(t));
        expect(loaded.userVersion, 'the version every session of the user loads').to.equal(bumped);
        expect(loaded.user?.version, 'the cached copy keeps the version it was loaded at').to.equal(0);
      }
      expect((await loadLive(store(), other, at(t))).userVersion, 'another user\'s session').to.equal(0);
      expect(await store().userVersion(otherUser), 'another user').to.equal(0);

      await store().markUserChanged(userId);
      const again = await store().userVersion(userId);
      expect(again, 'a second change raises it again').to.be.above(bumped);
      expect((await loadLive(store(), first, at(t))).userVersion).to.equal(again);
    });

    it('U2: a change of a user with no live session is kept, so a login that read the user just before it still refreshes', async () => {
      const t = Date.now();
      const userId = newUserId();
      const before = await store().userVersion(userId);
      await store().markUserChanged(userId);
      const after = await store().userVersion(userId);
      expect(after, 'the version right after the change').to.be.above(before);
      expect(await listing(store(), userId)).to.deep.equal([]);
      // The login cached attributes read at the older version; its first load sees the newer one.
      const id = await seedUser(store(), userRecord(userId, { now: t, version: before }));
      const loaded = await loadLive(store(), id, at(t));
      expect(loaded.userVersion, 'the session loads the kept version').to.equal(after);
      expect(loaded.user?.version).to.not.equal(loaded.userVersion);
    });

    it('U2: update with user stores the refreshed copy together with the data changes, the user id unchanged', async () => {
      const t = Date.now();
      const userId = newUserId();
      const record = userRecord(userId, { data: { a: '"1"', b: '"2"' }, now: t, version: 0, attributes: '{"emailConfirmed":false}' });
      const id = await seedUser(store(), record);
      await store().markUserChanged(userId);
      const version = await store().userVersion(userId);
      const user = { id: userId, version, attributes: '{"emailConfirmed":true}' };
      expect(await store().update(id, { set: { a: '"one"' }, unset: ['b'], user })).to.equal('updated');
      const loaded = await loadLive(store(), id, at(t));
      expect(loaded.user).to.deep.equal(user);
      expect(loaded.userVersion, 'the refreshed copy is current').to.equal(loaded.user?.version);
      expect(loaded.data).to.deep.equal({ a: '"one"' });
      expect(loaded.handle).to.equal(record.handle);
    });

    it('U2: update without user leaves the user copy as it was', async () => {
      const t = Date.now();
      const record = userRecord(newUserId(), { now: t, version: 3, attributes: '{"role":"admin"}' });
      const id = await seedUser(store(), record);
      expect(await store().update(id, { set: { a: '1' }, unset: [] })).to.equal('updated');
      expect((await loadLive(store(), id, at(t))).user).to.deep.equal(record.user);
    });

    it('U2, T8: update with user of a destroyed session answers missing and brings nothing back', async () => {
      const userId = newUserId();
      const record = userRecord(userId);
      const id = await seedUser(store(), record);
      await store().destroy(id);
      const user = { id: userId, version: 1, attributes: '{}' };
      expect(await store().update(id, { set: { a: '1' }, unset: [], user })).to.equal('missing');
      expect(await store().load(id, at(Date.now()))).to.equal(null);
      expect(await listing(store(), userId)).to.deep.equal([]);
    });

    it('U1: a user copy is stored verbatim: attributes are opaque JSON text', async () => {
      const t = Date.now();
      const attributes = '{ "name": "Zoë 🎉", "roles": ["a","b"], "n": 1.0, "quote": "\\"" }';
      const record = userRecord(newUserId(), { now: t, version: 7, attributes });
      const id = await seedUser(store(), record);
      expect((await loadLive(store(), id, at(t))).user).to.deep.equal({ id: record.user?.id, version: 7, attributes });
    });
  });
}
