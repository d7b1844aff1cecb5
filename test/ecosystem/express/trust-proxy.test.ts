import { expect } from 'chai';
import type { Express } from 'express';
import type { Reply } from '@sessionware/test-support';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey } from './matrix-app.js';

/**
 * SPEC C4 (v2): whether a request is HTTPS is Express's answer (`req.secure` under its
 * `trust proxy` setting); sessionware has no proxy-trust setting of its own to disagree with it.
 */

function visit(app: Express): void {
  app.post('/visit', (req, res) => {
    mark(req, 'written', 'visit');
    res.json({ secure: req.secure });
  });
}

function secureFlags(reply: Reply): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  for (const name of ['sw.sid', 'sw.sid.active']) {
    const cookie = reply.cookie(name);
    if (cookie === undefined) throw new Error(`no Set-Cookie of ${name}`);
    flags[name] = cookie.attributes['secure'] === true;
  }
  return flags;
}

const HTTPS_PROXY = { 'x-forwarded-proto': 'https' };

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`C4 (v2) HTTPS is Express's answer (${version})`, () => {
    const apps = appsFor(x);

    it("C4: app.set('trust proxy', 1) and X-Forwarded-Proto: https: req.secure, and both cookies Secure", async () => {
      const target = await apps.start({ configure: (app) => app.set('trust proxy', 1), routes: visit });
      const reply = await within(target.client.post('/visit', { headers: HTTPS_PROXY }), 'POST /visit');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ secure: true });
      expect(secureFlags(reply)).to.deep.equal({ 'sw.sid': true, 'sw.sid.active': true });
      expect(await readKey(target, 'written')).to.equal('visit');
      await expectAlive(target);
    });

    it('C4: without trust proxy, X-Forwarded-Proto: https is ignored: not req.secure, no Secure cookie', async () => {
      const target = await apps.start({ routes: visit });
      const reply = await within(target.client.post('/visit', { headers: HTTPS_PROXY }), 'POST /visit');
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({ secure: false });
      expect(secureFlags(reply)).to.deep.equal({ 'sw.sid': false, 'sw.sid.active': false });
      expect(await readKey(target, 'written')).to.equal('visit');
      await expectAlive(target);
    });

    it("C4: trust proxy set, a plain-HTTP request without the header: no Secure cookie", async () => {
      const target = await apps.start({ configure: (app) => app.set('trust proxy', 1), routes: visit });
      const reply = await within(target.client.post('/visit'), 'POST /visit');
      expect(reply.json).to.deep.equal({ secure: false });
      expect(secureFlags(reply)).to.deep.equal({ 'sw.sid': false, 'sw.sid.active': false });
      await expectAlive(target);
    });
  });
}
