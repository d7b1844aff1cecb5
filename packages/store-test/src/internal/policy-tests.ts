import { expect } from 'chai';
import { at, entryOf, HOUR, listing, liveRecord, loadLive, MINUTE, newUserId, seed, seedUser, userRecord, type CurrentStore } from '../fixtures.js';

/**
 * What the session policies ask of a store (SPEC P1, P3, P5): the record's own lifetime
 * fields kept verbatim, its own idle timeout used by the slide, `authenticatedAt` set by
 * `update` and listed, and `peek`, which reads the deadlines without sliding them.
 */
export function describePolicyTests(store: CurrentStore): void {
  describe('policies: own lifetime, authenticatedAt, peek', () => {
    it('P1, P3: the lifetime fields (cookieExpiry, idleTimeoutMs, authenticatedAt) come back from load as stored', async () => {
      const t = Date.now();
      const record = { ...userRecord(newUserId(), { now: t }), cookieExpiry: 'persistent' as const, idleTimeoutMs: 2 * HOUR, authenticatedAt: t - MINUTE };
      const id = await seedUser(store(), record);
      const loaded = await loadLive(store(), id, at(t));
      expect(loaded.cookieExpiry).to.equal('persistent');
      expect(loaded.idleTimeoutMs).to.equal(2 * HOUR);
      expect(loaded.authenticatedAt).to.equal(t - MINUTE);
    });

    it("P1, T2: load slides by the record's own idle timeout when it has one, never past the absolute deadline", async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({}, t), idleTimeoutMs: 3 * HOUR });
      expect((await loadLive(store(), id, at(t + 1_000, HOUR))).expiresAt).to.equal(t + 1_000 + 3 * HOUR);
      const capped = await seed(store(), { ...liveRecord({}, t), idleTimeoutMs: 30 * HOUR });
      expect((await loadLive(store(), capped, at(t, HOUR))).expiresAt, 'capped at the absolute deadline').to.equal(t + 24 * HOUR);
    });

    it('P3: update sets authenticatedAt, with or without data changes, and the listing shows it', async () => {
      const t = Date.now();
      const userId = newUserId();
      const record = userRecord(userId, { now: t });
      const id = await seedUser(store(), record);
      expect(await store().update(id, { set: {}, unset: [], authenticatedAt: t + 5 })).to.equal('updated');
      expect((await loadLive(store(), id, at(t))).authenticatedAt).to.equal(t + 5);
      expect(await store().update(id, { set: { a: '1' }, unset: [], authenticatedAt: t + 9 })).to.equal('updated');
      expect(await listing(store(), userId)).to.deep.equal([entryOf(id, { ...record, authenticatedAt: t + 9 }, t)]);
    });

    it('P5: peek answers the deadlines and authenticatedAt without sliding or touching lastSeenAt', async () => {
      const t = Date.now();
      const record = { ...userRecord(newUserId(), { now: t - MINUTE }), expiresAt: t + 10 * MINUTE, authenticatedAt: t - MINUTE };
      const id = await seedUser(store(), record);
      expect(await store().peek(id, t)).to.deep.equal({ expiresAt: t + 10 * MINUTE, absoluteExpiresAt: record.absoluteExpiresAt, authenticatedAt: t - MINUTE });
      expect(await store().peek(id, t + MINUTE)).to.deep.equal({ expiresAt: t + 10 * MINUTE, absoluteExpiresAt: record.absoluteExpiresAt, authenticatedAt: t - MINUTE });
      const loaded = await loadLive(store(), id, at(t + 2 * MINUTE));
      expect(loaded.lastSeenAt, 'peeks left lastSeenAt alone; this load sets it').to.equal(t + 2 * MINUTE);
    });

    it('P5: peek of an anonymous session has no authenticatedAt; of a missing or expired one it is null', async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({ a: '1' }, t), expiresAt: t + 10_000 });
      expect(await store().peek(id, t)).to.deep.equal({ expiresAt: t + 10_000, absoluteExpiresAt: t + 24 * HOUR });
      expect(await store().peek(id, t + 10_000), 'at the idle deadline').to.equal(null);
      expect(await store().peek(`${id}x`, t), 'never created').to.equal(null);
      await store().destroy(id);
      expect(await store().peek(id, t), 'destroyed').to.equal(null);
    });
  });
}
