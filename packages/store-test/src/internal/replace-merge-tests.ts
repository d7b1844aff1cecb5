import { expect } from 'chai';
import type { DataChanges, ReplacementSession, Store } from '@sessionware/core';
import { at, changesOf, liveRecord, loadLive, newId, newUserId, seed, seedUser, userRecord, userSessionId, withoutData, type CurrentStore } from '../fixtures.js';

/** A login about to replace: its old session (created) and its new id and session but data. */
interface Login {
  readonly oldId: string;
  readonly newId: string;
  readonly session: ReplacementSession;
}

/** Which kind of session a login leaves and which it makes: a store may take another path for each (one Redis Cluster slot or two). */
interface Pairing {
  readonly name: string;
  /** Creates the old session with `data` at `now`, and picks the new id and session. */
  prepare(store: Store, data: Record<string, string>, now: number): Promise<Login>;
}

function userLogin(userId: string, now: number): Omit<Login, 'oldId'> {
  return { newId: userSessionId(userId), session: withoutData(userRecord(userId, { now })) };
}

const PAIRINGS: readonly Pairing[] = [
  {
    name: 'anonymous to anonymous (regenerate)',
    prepare: async (store, data, now) => ({ oldId: await seed(store, liveRecord(data, now)), newId: newId(), session: withoutData(liveRecord({}, now)) }),
  },
  {
    name: 'anonymous to a user\'s (login)',
    prepare: async (store, data, now) => ({ oldId: await seed(store, liveRecord(data, now)), ...userLogin(newUserId(), now) }),
  },
  {
    name: 'a user\'s to the same user\'s (re-login)',
    prepare: async (store, data, now) => {
      const userId = newUserId();
      return { oldId: await seedUser(store, userRecord(userId, { data, now })), ...userLogin(userId, now) };
    },
  },
  {
    name: 'a user\'s to another user\'s',
    prepare: async (store, data, now) => ({ oldId: await seedUser(store, userRecord(newUserId(), { data, now })), ...userLogin(newUserId(), now) }),
  },
];

/**
 * `replace` carries the old session's data as stored at that moment over to the new id and
 * applies the login's changes to it (SPEC T6, T8 contract v2): a write acknowledged on the old
 * id while the login was in flight is in the new session. Each case runs for each pairing of
 * old and new session (anonymous or a user's, the same user or another), so that a store
 * with more than one path runs all of them: on Redis Cluster, the ids share a slot only for
 * a re-login of the same user.
 */
export function describeReplaceMergeTests(store: CurrentStore): void {
  describe('replace carries the old data over and merges the login\'s changes', () => {
    for (const pairing of PAIRINGS) {
      describe(pairing.name, () => {
        /** Prepares a login whose request loads the old session, lets `meanwhile` write to it, then replaces it with `changes`. */
        async function login(
          data: Record<string, string>,
          meanwhile: (oldId: string) => Promise<unknown>,
          changes: DataChanges,
        ): Promise<Record<string, string>> {
          const t = Date.now();
          const { oldId, newId: nextId, session } = await pairing.prepare(store(), data, t);
          await loadLive(store(), oldId, at(t), 'the old session at the login\'s load');
          await meanwhile(oldId);
          expect(await store().replace(oldId, nextId, session, changes), 'replace').to.equal('created');
          expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
          return (await loadLive(store(), nextId, at(t), 'the new session')).data;
        }

        it('T6, T8: a key written to the old session by update() after the login loaded it is in the new record', async () => {
          const data = await login(
            { cart: '["apple"]' },
            async (oldId) => expect(await store().update(oldId, { set: { wish: '["pen"]' }, unset: [] })).to.equal('updated'),
            changesOf({ who: '"ann"' }),
          );
          expect(data).to.deep.equal({ cart: '["apple"]', wish: '["pen"]', who: '"ann"' });
        });

        it('T6, T8: a key the login unsets is gone from the new record, also one another write changed meanwhile', async () => {
          const data = await login(
            { doomed: '1', changed: '1', kept: '1' },
            async (oldId) => expect(await store().update(oldId, { set: { changed: '2' }, unset: [] })).to.equal('updated'),
            changesOf({}, ['doomed', 'changed', 'never-there']),
          );
          expect(data).to.deep.equal({ kept: '1' });
        });

        it('T6, T8: a key in set overrides the old value, also one another write changed meanwhile, and wins over unset', async () => {
          const data = await login(
            { theme: '"dark"', lang: '"en"' },
            async (oldId) => expect(await store().update(oldId, { set: { theme: '"light"' }, unset: [] })).to.equal('updated'),
            changesOf({ theme: '"blue"', lang: '"fr"' }, ['lang']),
          );
          expect(data).to.deep.equal({ theme: '"blue"', lang: '"fr"' });
        });

        it('T6, T8: keys absent from the changes keep the old value as stored at the replace, and a key another write removed stays removed', async () => {
          const data = await login(
            { a: '1', b: '2', c: '3' },
            async (oldId) => expect(await store().update(oldId, { set: { b: '20' }, unset: ['c'] })).to.equal('updated'),
            changesOf({ d: '4' }),
          );
          expect(data).to.deep.equal({ a: '1', b: '20', d: '4' });
        });

        it('T6, T8: with no changes the new record holds exactly the old data as stored at the replace', async () => {
          const data = await login(
            { a: '1' },
            async (oldId) => expect(await store().update(oldId, { set: { b: '2' }, unset: [] })).to.equal('updated'),
            changesOf(),
          );
          expect(data).to.deep.equal({ a: '1', b: '2' });
        });

        it('T6, T8: replace answering missing (old destroyed after the login loaded it) writes nothing: the new id stays free', async () => {
          const t = Date.now();
          const { oldId, newId: nextId, session } = await pairing.prepare(store(), { a: '1' }, t);
          await loadLive(store(), oldId, at(t));
          await store().destroy(oldId);
          expect(await store().replace(oldId, nextId, session, changesOf({ b: '2' }, ['a']))).to.equal('missing');
          expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
          expect(await store().load(nextId, at(t)), 'the new id').to.equal(null);
          expect(await store().create(nextId, { ...session, data: { fresh: 'true' } }), 'create of the new id').to.equal('created');
          expect((await loadLive(store(), nextId, at(t))).data).to.deep.equal({ fresh: 'true' });
        });

        it('T6, T8: replace answering exists writes nothing: the old record keeps its data, also what a write added after the load, and the taken id is untouched', async () => {
          const t = Date.now();
          const { oldId, newId: nextId, session } = await pairing.prepare(store(), { a: '1', b: '2' }, t);
          await loadLive(store(), oldId, at(t));
          expect(await store().update(oldId, { set: { c: '3' }, unset: [] })).to.equal('updated');
          expect(await store().create(nextId, { ...session, data: { taken: 'true' } })).to.equal('created');
          const taken = await loadLive(store(), nextId, at(t));
          expect(await store().replace(oldId, nextId, session, changesOf({ a: '10', d: '4' }, ['b']))).to.equal('exists');
          expect((await loadLive(store(), oldId, at(t), 'the old session')).data).to.deep.equal({ a: '1', b: '2', c: '3' });
          expect(await store().load(nextId, at(t)), 'the taken id').to.deep.equal(taken);
        });
      });
    }
  });
}
