import { expect } from 'chai';
import { asLoaded, at, loadLive, DAY, HOUR, liveRecord, MINUTE, newId, pastAbsoluteRecord, pastIdleRecord, seed, type CurrentStore } from '../fixtures.js';

/** `load`: missing ids, the deadline slide (SPEC T2), expiry by either deadline, copies. */
export function describeLoadTests(store: CurrentStore): void {
  describe('load', () => {
    it('T9: load of an id that was never created answers null', async () => {
      expect(await store().load(newId(), at(Date.now()))).to.equal(null);
    });

    it('T2: load returns the record with lastSeenAt set to now and expiresAt slid to now + idle', async () => {
      const t = Date.now();
      const created = t - 10 * MINUTE;
      const record = { data: { a: '"1"', b: '{"x":[1,2]}' }, createdAt: created, lastSeenAt: created, expiresAt: created + HOUR, absoluteExpiresAt: created + DAY };
      const id = await seed(store(), record);
      expect(await store().load(id, at(t, 2 * HOUR))).to.deep.equal({
        data: { a: '"1"', b: '{"x":[1,2]}' },
        createdAt: created,
        lastSeenAt: t,
        expiresAt: t + 2 * HOUR,
        absoluteExpiresAt: created + DAY,
      });
    });

    it('T2: the slide is stored: after a load the record outlives its original idle deadline', async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({}, t), expiresAt: t + 10_000 });
      expect((await loadLive(store(), id, at(t + 5_000, MINUTE))).expiresAt).to.equal(t + 65_000);
      const later = await loadLive(store(), id, at(t + 20_000, MINUTE), 'a load 10 s after the original idle deadline');
      expect(later.lastSeenAt).to.equal(t + 20_000);
      expect(later.expiresAt).to.equal(t + 80_000);
    });

    it('T2: load never slides the idle deadline past the absolute deadline', async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({}, t), expiresAt: t + 10_000, absoluteExpiresAt: t + 30_000 });
      expect((await loadLive(store(), id, at(t + 5_000, HOUR))).expiresAt).to.equal(t + 30_000);
      expect(await store().load(id, at(t + 29_000, HOUR)), 'just before the absolute deadline').to.not.equal(null);
      expect(await store().load(id, at(t + 30_001, HOUR)), 'past the absolute deadline').to.equal(null);
    });

    it('T2: load past the idle deadline answers null and removes the record', async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({ a: '1' }, t), expiresAt: t + 10_000 });
      expect(await store().load(id, at(t + 10_001))).to.equal(null);
      expect(await store().load(id, at(t)), 'load at a time the record was live').to.equal(null);
      expect(await store().update(id, { set: { b: '2' }, unset: [] }), 'update after removal').to.equal('missing');
    });

    it('T2: load past the absolute deadline answers null and removes the record, even with a later idle deadline', async () => {
      const t = Date.now();
      const id = await seed(store(), { ...liveRecord({ a: '1' }, t), expiresAt: t + HOUR, absoluteExpiresAt: t + 10_000 });
      expect(await store().load(id, at(t + 10_001))).to.equal(null);
      expect(await store().load(id, at(t)), 'load at a time the record was live').to.equal(null);
      expect(await store().update(id, { set: { b: '2' }, unset: [] }), 'update after removal').to.equal('missing');
    });

    it('T2: a record created with a deadline already past by the real clock is never loaded', async () => {
      const idle = newId();
      const absolute = newId();
      await store().create(idle, pastIdleRecord({ a: '1' }));
      await store().create(absolute, pastAbsoluteRecord({ a: '1' }));
      expect(await store().load(idle, at(Date.now())), 'past the idle deadline').to.equal(null);
      expect(await store().load(absolute, at(Date.now())), 'past the absolute deadline').to.equal(null);
    });

    it('T9: load returns a copy: changing the result changes nothing stored', async () => {
      const t = Date.now();
      const record = liveRecord({ a: '"1"', b: '"2"' }, t);
      const id = await seed(store(), record);
      const first = await loadLive(store(), id, at(t));
      expect(first).to.deep.equal(asLoaded(record, t, HOUR));
      first.data.a = '"changed"';
      first.data.c = '"added"';
      delete first.data.b;
      first.expiresAt = 0;
      first.absoluteExpiresAt = 0;
      first.createdAt = 0;
      expect(await store().load(id, at(t))).to.deep.equal(asLoaded(record, t, HOUR));
    });

    it('T9: create stores a copy: changing the passed record afterwards changes nothing stored', async () => {
      const t = Date.now();
      const record = liveRecord({ a: '"1"' }, t);
      const id = await seed(store(), record);
      const expected = asLoaded(record, t, HOUR);
      record.data.a = '"changed"';
      record.data.b = '"added"';
      record.expiresAt = t + 1;
      record.absoluteExpiresAt = t + 1;
      expect(await store().load(id, at(t))).to.deep.equal(expected);
    });
  });
}
