import { expect } from 'chai';
import type { StoredSession } from '@sessionware/core';
import { at, changesOf, liveRecord, loadLive, newId, seed, withoutData, type CurrentStore } from '../fixtures.js';

/** Many operations in flight at once leave every record as if they had run one by one (SPEC T5, T6, T8). */
export function describeConcurrencyTests(store: CurrentStore): void {
  describe('concurrency', () => {
    it('T8: 100 concurrent updates of distinct keys on one session all persist', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord({ base: '0' }, t));
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, n) => store().update(id, { set: { [`k${n}`]: String(n) }, unset: [] })),
      );
      expect(new Set(results)).to.deep.equal(new Set(['updated']));
      const expected = Object.fromEntries([['base', '0'], ...Array.from({ length: 100 }, (_, n) => [`k${n}`, String(n)])]);
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal(expected);
    });

    it('T9: many concurrent creates, loads, updates, replaces and destroys on many sessions stay consistent', async () => {
      const t = Date.now();
      const count = 60;
      const ids = Array.from({ length: count }, () => newId());
      const created = await Promise.all(ids.map((id, n) => store().create(id, liveRecord({ n: String(n) }, t))));
      expect(new Set(created)).to.deep.equal(new Set(['created']));

      // Per session, one of four operations, all sessions at once, each racing a load of its session.
      const targets = ids.map(() => newId());
      const outcomes = await Promise.all(
        ids.flatMap((id, n) => {
          const target = targets[n] ?? newId();
          const operation: Promise<unknown> = [
            () => store().update(id, { set: { touched: 'true' }, unset: [] }),
            () => store().destroy(id),
            () => store().replace(id, target, withoutData(liveRecord({}, t)), changesOf({ moved: 'true' })),
            () => store().create(id, liveRecord({ n: 'intruder' }, t)),
          ][n % 4]?.() ?? Promise.reject(new Error('no operation'));
          return [operation, store().load(id, at(t))];
        }),
      );
      for (const [n] of ids.entries()) {
        const result = outcomes[2 * n];
        if (n % 4 === 0) expect(result, `update of session ${n}`).to.equal('updated');
        if (n % 4 === 2) expect(result, `replace of session ${n}`).to.equal('created');
        if (n % 4 === 3) expect(result, `create over session ${n}`).to.equal('exists');
        const raced = outcomes[2 * n + 1] as StoredSession | null;
        if (raced !== null) expect(raced.data.n, `load racing the operation on session ${n}`).to.equal(String(n));
      }

      const finals = await Promise.all(ids.map((id) => store().load(id, at(t))));
      const moved = await Promise.all(targets.map((id) => store().load(id, at(t))));
      for (const [n, final] of finals.entries()) {
        const expected = [{ n: String(n), touched: 'true' }, null, null, { n: String(n) }][n % 4];
        expect(final === null ? null : final.data, `session ${n} after the race`).to.deep.equal(expected);
        expect(moved[n]?.data ?? null, `replace target of session ${n}`).to.deep.equal(n % 4 === 2 ? { n: String(n), moved: 'true' } : null);
      }
    });
  });
}
