import { expect } from 'chai';
import { CompactSign } from 'jose';
import { SessionConfigError } from '@sessionware/core';
import { isClearing } from '@sessionware/test-support';
import { expectBothCleared, expectCookiePair } from './cookies.js';
import { decodeToken, SECRET_A, SECRET_B, SESSION_COOKIE, type Harness } from './harness.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signingTests(h: Harness): void {
  describe('secrets and signing (K1–K3)', () => {
    it('K1: the session cookie is an HS256 compact JWS naming its key, whose payload holds only the session id', async () => {
      const app = await h.start();
      const reply = await app.client().post('/login', { json: { user: 'alice@example.com' } });
      const token = reply.cookie(SESSION_COOKIE)!.value;
      expect(token.split('.')).to.have.length(3);
      const { header, payload } = decodeToken(token);
      expect(header).to.have.keys(['alg', 'kid']);
      expect(header['alg']).to.equal('HS256');
      expect(payload).to.have.keys(['sid']);
      expect(token).to.not.include(Buffer.from('alice').toString('base64url').slice(0, 6));
    });

    it('K2: a cookie signed with an older key is accepted and re-issued with the first key on the same response', async () => {
      const old = await h.start({ secrets: [SECRET_A] });
      const client = old.client();
      const first = (await client.post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
      const rotated = await h.start({ secrets: [SECRET_B, SECRET_A], sharedStore: old.store });
      const rotatedClient = rotated.client();
      for (const [name, value] of client.jar) rotatedClient.jar.set(name, value);
      const reply = await rotatedClient.get('/peek');
      expect(reply.json).to.deep.include({ user: 'ann' });
      const [reissued] = expectCookiePair(reply);
      expect(reissued.value).to.not.equal(first);
      expect(decodeToken(reissued.value).header['kid']).to.not.equal(decodeToken(first).header['kid']);
      expect(decodeToken(reissued.value).payload).to.deep.equal(decodeToken(first).payload);
      const again = await rotatedClient.get('/peek');
      expect(again.json).to.deep.include({ user: 'ann' });
      expect(again.setCookies).to.deep.equal([]);
    });

    it('K2: a comma-separated secrets string signs with the first and verifies with all', async () => {
      const old = await h.start({ secrets: SECRET_A });
      const client = old.client();
      await client.post('/login', { json: {} });
      const rotated = await h.start({ secrets: `${SECRET_B}, ${SECRET_A}`, sharedStore: old.store });
      const reply = await rotated.client().get('/peek', { cookieHeader: client.cookieHeader() });
      expect(reply.json).to.deep.include({ user: 'ann' });
    });

    it('K2: unknown key, tampering, alg none, another alg and malformed cookies are anonymous, never 5xx', async () => {
      const app = await h.start();
      const client = app.client();
      const token = (await client.post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
      const [header = '', payload = '', signature = ''] = token.split('.');
      const { sid } = decodeToken(token).payload;
      const key = new TextEncoder().encode(SECRET_A);
      const hs512 = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sid })))
        .setProtectedHeader({ alg: 'HS512', kid: decodeToken(token).header['kid'] as string })
        .sign(key);
      const otherApp = await h.start({ secrets: [SECRET_B] });
      const unknownKey = (await otherApp.client().post('/login', { json: {} })).cookie(SESSION_COOKIE)!.value;
      const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      const hostile = {
        unknownKey,
        tamperedPayload: `${header}.${b64({ sid: 'x'.repeat(43) })}.${signature}`,
        tamperedSignature: `${header}.${payload}.${flipped}`,
        algNone: `${b64({ alg: 'none', kid: decodeToken(token).header['kid'] })}.${payload}.`,
        algNoneNoKid: `${b64({ alg: 'none' })}.${payload}.`,
        hs512,
        twoParts: `${header}.${payload}`,
        garbage: 'not-a-token',
        dots: '...',
      };
      for (const [name, value] of Object.entries(hostile)) {
        const reply = await client.get('/peek', { cookieHeader: `${SESSION_COOKIE}=${value}` });
        expect(reply.status, name).to.equal(200);
        expect(reply.json, name).to.deep.equal({ user: null, counter: null });
        expect(isClearing(reply.cookie(SESSION_COOKIE)!), name).to.equal(true);
      }
      expectBothCleared(await client.get('/peek', { cookieHeader: `${SESSION_COOKIE}=${hostile.algNone}` }));
    });

    it('K3: with NODE_ENV=production a missing, placeholder or short secret refuses to start, naming secrets and SESSION_SECRETS', async () => {
      const production = { NODE_ENV: 'production' };
      for (const [label, secrets] of [
        ['missing', undefined],
        ['placeholder', 'changeme'],
        ['padded placeholder', 'changeme'.repeat(5)],
        ['short', 'a-random-but-short-secret-value'],
      ] as const) {
        let thrown: unknown;
        try {
          await h.start({ env: production, secrets: secrets as unknown as string });
        } catch (error) {
          thrown = error;
        }
        expect(thrown, label).to.be.instanceOf(SessionConfigError);
        expect((thrown as Error).message, label).to.include('secrets').and.include('SESSION_SECRETS');
      }
    });

    it('K3, K4: in production the secrets come from SESSION_SECRETS, so a second instance accepts the first one\'s cookies', async () => {
      const env = { NODE_ENV: 'production', SESSION_SECRETS: `${SECRET_B},${SECRET_A}` };
      const first = await h.start({ env, secrets: undefined as unknown as string });
      const client = first.client();
      await client.post('/login', { json: {} });
      const second = await h.start({ env, secrets: undefined as unknown as string, sharedStore: first.store });
      const reply = await second.client().get('/peek', { cookieHeader: client.cookieHeader() });
      expect(reply.json).to.deep.include({ user: 'ann' });
    });
  });
}
