import { expect } from 'chai';
import { SessionLimitError, SessionStoreError } from '../../../src/errors.js';
import { userTag } from '../../../src/internal/id.js';
import { migratedRandomPart } from '../../../src/internal/lifecycle/migrate.js';
import { openSession } from '../../../src/internal/lifecycle/open.js';
import type { LegacySessionData, LegacySessionReader } from '../../../src/legacy.js';
import { FakeRequest, fixture, newState, SECRET, seedSession } from '../../support/lifecycle.js';

/** A reader over a Map: cookie `old=<id>` verifies when the id is in `valid`. */
function mapReader(records: Map<string, LegacySessionData>, valid = new Set(records.keys())) {
  const calls: string[] = [];
  const reader: LegacySessionReader = {
    library: 'test-lib',
    cookieNames: ['old'],
    cookiePath: '/',
    cookieDomain: undefined,
    mapsUsers: true,
    sessionIdOf: (cookies) => (cookies['old'] !== undefined && valid.has(cookies['old']) ? cookies['old'] : undefined),
    read: async (id) => (calls.push(`read ${id}`), records.get(id) ?? null),
    destroy: async (id) => {
      calls.push(`destroy ${id}`);
      records.delete(id);
    },
    userIdOf: (data) => (typeof data['user'] === 'string' ? data['user'] : undefined),
    dataOf: (data) => Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'user')),
  };
  return { reader, calls };
}

const loadUser = (userId: string) => (userId === 'gone' ? null : { id: userId, username: userId, emailConfirmed: false });

describe('issue 16: migration — internal/lifecycle/migrate', () => {
  it("moves a user's old session to the derived, user-tagged id, with a pointer at the untagged one; the old record destroyed", async () => {
    const records = new Map<string, LegacySessionData>([['o1', { user: 'ann', cart: [1] }]]);
    const { reader, calls } = mapReader(records);
    const fx = fixture({ migrateFrom: reader, loadUser });
    const request = new FakeRequest('old=o1', { userAgent: 'UA/1' });
    const state = newState(fx, request);
    await openSession(state);
    const random = migratedRandomPart(SECRET, 'test-lib', 'o1');
    expect(state.id).to.equal(`${userTag('ann')}.${random}`);
    expect(state.user?.id).to.equal('ann');
    expect(state.data.values['cart']).to.deep.equal([1]);
    expect(state.cookie).to.equal('issue');
    expect(fx.store.methods()).to.deep.equal(['userVersion', 'create', 'create']);
    expect(fx.store.argsOf('create')[1]?.[0], 'the pointer').to.equal(random);
    expect(calls).to.deep.equal(['read o1', 'destroy o1']);
    const record = await fx.store.load(state.id ?? '', { now: Date.now(), idleTimeoutMs: 60_000 });
    expect(record?.userAgent).to.equal('UA/1');
    expect(record?.handle).to.be.a('string');
  });

  it('the derived id is the same for the same old id and differs for another old id or library', () => {
    expect(migratedRandomPart(SECRET, 'l', 'a')).to.equal(migratedRandomPart(SECRET, 'l', 'a')).and.to.have.length(43);
    expect(migratedRandomPart(SECRET, 'l', 'a')).to.not.equal(migratedRandomPart(SECRET, 'l', 'b'));
    expect(migratedRandomPart(SECRET, 'l', 'a')).to.not.equal(migratedRandomPart(SECRET, 'm', 'a'));
  });

  it('T3: an anonymous old session with no data leaves no record; the old record is destroyed and the old cookie cleared', async () => {
    const { reader, calls } = mapReader(new Map([['o2', {}]]));
    const fx = fixture({ migrateFrom: reader, loadUser });
    const state = newState(fx, new FakeRequest('old=o2'));
    await openSession(state);
    expect(state.id).to.equal(null);
    expect(fx.store.methods()).to.deep.equal([]);
    expect(calls).to.deep.equal(['read o2', 'destroy o2']);
    expect(state.legacyCookies).to.equal('clear');
  });

  it('U3: a user loadUser answers null for is anonymous: no record, the old one destroyed', async () => {
    const { reader, calls } = mapReader(new Map([['o3', { user: 'gone', a: 1 }]]));
    const fx = fixture({ migrateFrom: reader, loadUser });
    const state = newState(fx, new FakeRequest('old=o3'));
    await openSession(state);
    expect(state.id).to.equal(null);
    expect(fx.store.methods()).to.deep.equal(['userVersion']);
    expect(calls).to.deep.equal(['read o3', 'destroy o3']);
  });

  it('F1: a new store failing the create puts the open in phase failed with SessionStoreError; nothing issued, the old record kept', async () => {
    const { reader, calls } = mapReader(new Map([['o4', { user: 'ann' }]]));
    const fx = fixture({ migrateFrom: reader, loadUser });
    fx.store.fail('create');
    const state = newState(fx, new FakeRequest('old=o4'));
    await openSession(state);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionStoreError);
    expect(state.id).to.equal(null);
    expect(state.cookie).to.equal('none');
    expect(state.legacyCookies).to.equal('kept');
    expect(calls).to.deep.equal(['read o4']);
  });

  it('K2: an old cookie that does not verify reads nothing and clears the old cookie', async () => {
    const { reader, calls } = mapReader(new Map([['o5', { user: 'ann' }]]), new Set());
    const fx = fixture({ migrateFrom: reader, loadUser });
    const request = new FakeRequest('old=o5', { cookiesAtOpen: true });
    const state = newState(fx, request);
    await openSession(state);
    expect(calls).to.deep.equal([]);
    expect(fx.store.methods()).to.deep.equal([]);
    expect(request.written).to.have.length(1);
    expect(request.written[0]?.[0]).to.match(/^old=; Max-Age=0; Path=\//);
  });

  it('P4: a migrated user\'s session is a login under maxSessionsPerUser: the create gets the limit, and the least recently seen session ends', async () => {
    const { reader } = mapReader(new Map([['o6', { user: 'ann' }]]));
    const fx = fixture({ migrateFrom: reader, loadUser, maxSessionsPerUser: 1 });
    const existing = await seedSession(fx, {}, { id: 'ann' });
    const state = newState(fx, new FakeRequest('old=o6'));
    await openSession(state);
    expect(fx.store.argsOf('create')[0]?.[2]).to.deep.equal({ max: 1, onLimit: 'end-least-recent' });
    expect(fx.store.argsOf('create')[1]?.[2], 'the pointer: no user, no limit').to.equal(undefined);
    expect(await fx.store.inspect(existing)).to.equal(null);
    expect((await fx.store.listUserSessions('ann', Date.now())).map((entry) => entry.sessionId)).to.deep.equal([state.id]);
  });

  it('P4: a migration the limit refuses fails the open with SessionLimitError; nothing issued, the old record kept for later', async () => {
    const { reader, calls } = mapReader(new Map([['o7', { user: 'ann' }]]));
    const fx = fixture({ migrateFrom: reader, loadUser, maxSessionsPerUser: 1, onLimit: 'refuse' });
    const existing = await seedSession(fx, {}, { id: 'ann' });
    const state = newState(fx, new FakeRequest('old=o7'));
    await openSession(state);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionLimitError);
    expect(state.id).to.equal(null);
    expect(state.cookie).to.equal('none');
    expect(state.legacyCookies).to.equal('kept');
    expect(calls).to.deep.equal(['read o7']);
    expect((await fx.store.listUserSessions('ann', Date.now())).map((entry) => entry.sessionId)).to.deep.equal([existing]);
  });
});
