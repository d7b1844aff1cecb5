// MemoryStore bounded in bytes as well as in count (SPEC T10): the counting rule, LRU eviction, refusal of a record too large alone.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionConfigError, SessionStoreError } from '../src/errors.js';
import type { MemoryStore, MemoryStoreOptions } from '../src/memory-store.js';
import type { StoredSession } from '../src/store.js';
import { HOUR, newId, record, useMemoryStores } from './support/memory-store.js';

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

function userRecord(userId: string, data: Record<string, string> = {}): StoredSession {
  return { ...record(data), user: { id: userId, version: 0, attributes: '{"name":"x"}' }, handle: randomBytes(16).toString('base64url'), userAgent: 'test' };
}

/** The documented rule, written again: id, data keys and texts, user id and attributes, handle, User-Agent, 8 bytes per number. */
function expectedBytes(id: string, session: StoredSession): number {
  let bytes = utf8(id) + 4 * 8;
  for (const [key, text] of Object.entries(session.data)) bytes += utf8(key) + utf8(text);
  if (session.user !== undefined) bytes += utf8(session.user.id) + utf8(session.user.attributes) + 8;
  return bytes + utf8(session.handle ?? '') + utf8(session.userAgent ?? '');
}

/** A value text that makes a record with one key `v` count exactly `bytes`. */
function filler(bytes: number): Record<string, string> {
  return { v: 'x'.repeat(bytes - expectedBytes(newId(), record({ v: '' }))) };
}

/** A login's replace whose new record holds exactly `session.data`: it sets those keys and unsets `unset`, the old ones. */
function replaceWith(store: MemoryStore, oldId: string, newId: string, session: StoredSession, unset: string[] = []): Promise<'created' | 'exists' | 'missing' | 'limited'> {
  const { data, ...rest } = session;
  return store.replace(oldId, newId, rest, { set: data, unset });
}

describe('MemoryStore: maxBytes (T10)', () => {
  const memoryStore = useMemoryStores();
  const alive = async (store: MemoryStore, id: string): Promise<boolean> => (await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR })) !== null;

  it('T10: bytes counts each record by the documented rule, through create, update, replace and destroy', async () => {
    const store = memoryStore();
    const [a, b, c] = [newId(), newId(), newId()];
    const anonymous = record({ a: '"é"', list: '[1,2]' });
    await store.create(a, anonymous);
    expect(store.bytes).to.equal(expectedBytes(a, anonymous));
    const ann = userRecord('ann', { k: '1' });
    await store.create(b, ann);
    expect(store.bytes).to.equal(expectedBytes(a, anonymous) + expectedBytes(b, ann));
    await store.update(a, { set: { a: '"ü-longer"', added: 'true' }, unset: ['list', 'never-stored'] });
    const updated = record({ a: '"ü-longer"', added: 'true' });
    expect(store.bytes).to.equal(expectedBytes(a, updated) + expectedBytes(b, ann));
    const attributes = '{"name":"a much longer name"}';
    await store.update(b, { set: {}, unset: [], user: { id: 'ann', version: 1, attributes } });
    const refreshed = { ...ann, user: { id: 'ann', version: 1, attributes } };
    expect(store.bytes).to.equal(expectedBytes(a, updated) + expectedBytes(b, refreshed));
    const loggedIn = userRecord('bob', { k: '2' });
    await replaceWith(store, a, c, loggedIn, ['a', 'added']);
    expect(store.bytes).to.equal(expectedBytes(c, loggedIn) + expectedBytes(b, refreshed));
    await store.destroy(b);
    await store.destroy(c);
    expect(store.bytes).to.equal(0);
  });

  it('T10: a create past maxBytes evicts the least recently used sessions first, as many as it needs', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const [a, b, c, d, e] = [newId(), newId(), newId(), newId(), newId()];
    for (const id of [a, b, c]) await store.create(id, record(filler(1_000)));
    expect(store.bytes).to.equal(3_000);
    expect(await alive(store, a), 'a, loaded last').to.equal(true);
    await store.create(d, record(filler(1_000)));
    expect(store.bytes).to.equal(3_000);
    expect(await alive(store, b), 'b, the least recently used').to.equal(false);
    await store.create(e, record(filler(2_000)));
    expect(store.bytes).to.be.at.most(3_000);
    expect([await alive(store, c), await alive(store, a), await alive(store, d), await alive(store, e)]).to.deep.equal([false, false, true, true]);
  });

  it('T10: an update past maxBytes evicts other sessions, least recently used first, never the one updated', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const [a, b, c] = [newId(), newId(), newId()];
    for (const id of [a, b, c]) await store.create(id, record(filler(1_000)));
    expect(await store.update(a, { set: { more: 'y'.repeat(500) }, unset: [] }), 'a, the oldest').to.equal('updated');
    expect(store.bytes).to.be.at.most(3_000);
    expect([await alive(store, b), await alive(store, c)]).to.deep.equal([false, true]);
    expect((await store.load(a, { now: Date.now(), idleTimeoutMs: HOUR }))?.data['more']).to.have.length(500);
  });

  it('T10, T6: replace frees the old record\'s bytes before it makes room, evicting only what the new one still needs', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    for (const id of [a, b, c]) await store.create(id, record(filler(1_000)));
    expect(await replaceWith(store, c, d, record(filler(1_500)))).to.equal('created');
    expect(store.size).to.equal(2);
    expect(store.bytes).to.equal(2_500);
    expect([await alive(store, a), await alive(store, b), await alive(store, d)]).to.deep.equal([false, true, true]);
  });

  it('T10: expired records are dropped before a live one is evicted for bytes', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const t = Date.now();
    const [expired, kept, added] = [newId(), newId(), newId()];
    await store.create(expired, { ...record(filler(1_000), t - 2 * HOUR), expiresAt: t - HOUR });
    await store.create(kept, record(filler(1_000)));
    await store.create(newId(), { ...record(filler(1_000), t - 2 * HOUR), expiresAt: t - HOUR });
    await store.create(added, record(filler(1_500)));
    expect(store.size).to.equal(2);
    expect([await alive(store, kept), await alive(store, added)]).to.deep.equal([true, true]);
  });

  it('T10: a record larger than maxBytes alone is refused with SessionStoreError naming the option, and nothing changes', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const [a, b, c] = [newId(), newId(), newId()];
    await store.create(a, record(filler(1_000)));
    await store.create(b, record(filler(1_000)));
    const refusals = [
      store.create(c, record(filler(3_001))),
      store.update(a, { set: { v: 'x'.repeat(3_000) }, unset: [] }),
      replaceWith(store, b, c, record(filler(3_001))),
    ];
    for (const [index, refused] of refusals.entries()) {
      const error = await refused.then(() => undefined, (reason: unknown) => reason);
      expect(error, `call ${index}`).to.be.instanceOf(SessionStoreError);
      expect((error as SessionStoreError).message).to.match(/ failed: the record is larger than the store's option maxBytes \(3000 bytes\)$/);
    }
    expect(store.bytes).to.equal(2_000);
    expect([await alive(store, a), await alive(store, b), await alive(store, c)]).to.deep.equal([true, true, false]);
    expect((await store.load(a, { now: Date.now(), idleTimeoutMs: HOUR }))?.data).to.deep.equal(filler(1_000));
  });

  it('T10, U4: eviction keeps the user index consistent: evicted sessions are neither listed nor revoked, kept ones are', async () => {
    const store = memoryStore({ maxBytes: 3_000 });
    const [ann1, ann2, bob1, added] = [newId(), newId(), newId(), newId()];
    await store.create(ann1, userRecord('ann', filler(1_000)));
    await store.create(bob1, userRecord('bob', filler(800)));
    await store.create(ann2, userRecord('ann', filler(800)));
    await store.create(added, record(filler(1_000)));
    expect(await alive(store, ann1), 'ann1, the least recently used').to.equal(false);
    const listed = await store.listUserSessions('ann', Date.now());
    expect(listed.map((entry) => entry.sessionId)).to.deep.equal([ann2]);
    expect((await store.listUserSessions('bob', Date.now())).map((entry) => entry.sessionId)).to.deep.equal([bob1]);
    // A stale index entry would show: the evicted id, taken again by another user's session, must not be ann's.
    await store.create(ann1, userRecord('bob'));
    expect((await store.listUserSessions('ann', Date.now())).map((entry) => entry.sessionId)).to.deep.equal([ann2]);
    expect(await store.revokeUserSessions('ann', {})).to.equal(1);
    expect((await store.listUserSessions('bob', Date.now())).map((entry) => entry.sessionId)).to.have.members([bob1, ann1]);
  });

  describe('options', () => {
    for (const maxBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '64MB', '1024']) {
      it(`T10: maxBytes ${typeof maxBytes === 'string' ? JSON.stringify(maxBytes) : String(maxBytes)} (${typeof maxBytes}) throws a SessionConfigError naming the option`, () => {
        expect(() => memoryStore({ maxBytes } as MemoryStoreOptions))
          .to.throw(SessionConfigError, /^option maxBytes is invalid: expected a positive integer$/);
      });
    }
    for (const maxBytes of [1, 65_536, 64 * 1024 * 1024, Number.MAX_SAFE_INTEGER]) {
      it(`T10: maxBytes ${maxBytes} is accepted`, () => {
        expect(memoryStore({ maxBytes }).bytes).to.equal(0);
      });
    }
  });
});
