import { expect } from 'chai';
import type { StoredSession } from '@sessionware/core';
import { asLoadedUser, at, changesOf, entryOf, HOUR, listing, MINUTE, newUserId, seedUser, sleepUntilPast, userRecord, userSessionId, withoutData, type CurrentStore } from '../fixtures.js';

/** A user's session with data, a user agent and a user copy, created at `now`; its id and record. */
async function seedRenewable(store: CurrentStore, now: number): Promise<{ userId: string; oldId: string; record: StoredSession }> {
  const userId = newUserId();
  const record = userRecord(userId, { data: { cart: '["apple"]', theme: '"dark"' }, now, userAgent: 'renew-agent', attributes: '{"name":"Ann"}' });
  return { userId, oldId: await seedUser(store(), record), record };
}

/** `renew` (SPEC P2): a user's session moves to a new id as it is; the old id points to it for the grace, then is dead. */
export function describeRenewTests(store: CurrentStore): void {
  describe('renew (P2)', () => {
    it('P2: renew moves the session to the new id unchanged (data, user, handle, user agent, createdAt, deadlines), with renewedAt', async () => {
      const t = Date.now();
      const { oldId, record } = await seedRenewable(store, t - MINUTE);
      const newId = userSessionId(record.user?.id ?? '');
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await store().load(newId, at(t))).to.deep.equal({ ...asLoadedUser(record, t, HOUR, 0), renewedAt: t });
    });

    it('P2, U4: after renew the listing shows the same handle under the new id, once', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(newId, record)]);
    });

    it('P2, U2: renew keeps the user\'s change version', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      await store().markUserChanged(userId);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect((await store().load(newId, at(t)))?.userVersion).to.equal(1);
    });

    it('P2, T2: within the grace, load of the old id answers the renewed session, slid, with currentId', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      const later = t + 5_000;
      expect(await store().load(oldId, at(later))).to.deep.equal({ ...asLoadedUser(record, later, HOUR, 0), renewedAt: t, currentId: newId });
      expect((await store().load(newId, at(later)))?.lastSeenAt, 'the slide reached the renewed session').to.equal(later);
    });

    it('P2, P5: within the grace, peek of the old id answers the renewed session\'s deadlines, sliding nothing', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await store().peek(oldId, t + 5_000)).to.deep.include({ expiresAt: record.expiresAt, absoluteExpiresAt: record.absoluteExpiresAt });
      expect((await listing(store(), userId, t))[0]?.lastSeenAt, 'not slid by the peek').to.equal(record.lastSeenAt);
    });

    it('P2, T8: within the grace, update of the old id changes the renewed session', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await store().update(oldId, { set: { late: '"write"' }, unset: ['theme'] })).to.equal('updated');
      expect((await store().load(newId, at(t)))?.data).to.deep.equal({ cart: '["apple"]', late: '"write"' });
    });

    it('P2, L1, L5: within the grace, destroy of the old id ends the renewed session: both ids dead, nothing listed', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      await store().destroy(oldId);
      expect(await store().load(newId, at(t)), 'the renewed id').to.equal(null);
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await store().update(oldId, { set: { a: '1' }, unset: [] }), 'no resurrection through the old id').to.equal('missing');
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('P2, T6, T8: within the grace, replace of the old id (a login) replaces the renewed session, its data carried over', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      const renewedId = userSessionId(userId);
      expect(await store().renew(oldId, renewedId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      const loginId = userSessionId(userId);
      const login = userRecord(userId, { now: t });
      expect(await store().replace(oldId, loginId, withoutData(login), changesOf({ who: '"ann"' }))).to.equal('created');
      expect((await store().load(loginId, at(t)))?.data).to.deep.equal({ cart: '["apple"]', theme: '"dark"', who: '"ann"' });
      expect(await store().load(renewedId, at(t)), 'the renewed id').to.equal(null);
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(loginId, login)]);
    });

    it('P2, U4: within the grace, revoking all but the old id keeps the renewed session (a request that loaded it before the renewal)', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const other = await seedUser(store(), userRecord(userId, { now: t }));
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await store().revokeUserSessions(userId, { exceptSessionId: oldId })).to.equal(1);
      expect(await listing(store(), userId)).to.deep.equal([entryOf(newId, record)]);
      expect(await store().load(other, at(Date.now())), 'the other session').to.equal(null);
    });

    it('P2: a second renew of the old id within the grace answers { renewedTo } with the current id and changes nothing', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      const other = userSessionId(userId);
      expect(await store().renew(oldId, other, { now: t + 1, graceMs: MINUTE })).to.deep.equal({ renewedTo: newId });
      expect(await store().load(other, at(t)), 'the second new id').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([entryOf(newId, record)]);
    });

    it('P2: renew of an old id whose renewed session was destroyed answers missing', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      await store().destroy(newId);
      expect(await store().renew(oldId, userSessionId(userId), { now: t, graceMs: MINUTE })).to.equal('missing');
      expect(await store().load(oldId, at(t))).to.equal(null);
    });

    it('P2, T5: renew to a taken id answers exists and changes nothing; a renewal pointer counts as taken for create', async () => {
      const t = Date.now();
      const { userId, oldId, record } = await seedRenewable(store, t);
      const taken = await seedUser(store(), userRecord(userId, { now: t }));
      expect(await store().renew(oldId, taken, { now: t, graceMs: MINUTE })).to.equal('exists');
      expect(await store().load(oldId, at(t)), 'the old id, as it was').to.deep.equal(asLoadedUser(record, t, HOUR, 0));
      const newId = userSessionId(userId);
      expect(await store().renew(oldId, newId, { now: t, graceMs: MINUTE })).to.equal('renewed');
      expect(await store().create(oldId, userRecord(userId, { now: t })), 'create over the pointer').to.equal('exists');
    });

    it('P2: renew of an id never created, destroyed, or past its idle deadline answers missing and creates nothing', async () => {
      const t = Date.now();
      const userId = newUserId();
      const never = userSessionId(userId);
      const target = userSessionId(userId);
      expect(await store().renew(never, target, { now: t, graceMs: MINUTE }), 'never created').to.equal('missing');
      const destroyed = await seedUser(store(), userRecord(userId, { now: t }));
      await store().destroy(destroyed);
      expect(await store().renew(destroyed, target, { now: t, graceMs: MINUTE }), 'destroyed').to.equal('missing');
      const expiring = await seedUser(store(), { ...userRecord(userId, { now: t }), expiresAt: t + 10_000 });
      expect(await store().renew(expiring, target, { now: t + 10_001, graceMs: MINUTE }), 'past its idle deadline').to.equal('missing');
      expect(await store().load(target, at(t)), 'the new id').to.equal(null);
      expect(await listing(store(), userId, t)).to.deep.equal([]);
    });

    it('P2: after the grace the old id is dead (load, update, renew); the renewed session lives on', async () => {
      const t = Date.now();
      const { userId, oldId } = await seedRenewable(store, t);
      const newId = userSessionId(userId);
      const graceMs = 50;
      expect(await store().renew(oldId, newId, { now: t, graceMs })).to.equal('renewed');
      await sleepUntilPast(t + graceMs);
      const now = Date.now();
      expect(await store().load(oldId, at(now)), 'load of the old id').to.equal(null);
      expect(await store().update(oldId, { set: { a: '1' }, unset: [] }), 'update of the old id').to.equal('missing');
      expect(await store().renew(oldId, userSessionId(userId), { now, graceMs }), 'renew of the old id').to.equal('missing');
      await store().destroy(oldId);
      expect((await store().load(newId, at(now)))?.data, 'the renewed session').to.deep.equal({ cart: '["apple"]', theme: '"dark"' });
    });
  });
}
