// Fuzzed Cookie headers against both example apps on a real HTTP server (SPEC F3, K2, L2, T3).
import { expect } from 'chai';
import fc from 'fast-check';
import { expressExample, koaExample, type ExampleTarget } from '../examples/targets.js';
import { Client, isClearing } from '@sessionware/test-support';
import { KeepAliveClient, rawGet, sendable, type Answer } from './support/client.js';
import { carriesRealToken, describeInput, fuzzCookies, type FuzzCookie, type RealCookie } from './support/cookie-fuzz.js';
import { recordFigures, trackOutcomes } from './support/figures.js';
import { fcOptions, scaled } from './support/scale.js';

/** Inputs per adapter: at least 2,000 at scale 1 (the bound inside `npm test`). */
const INPUTS = scaled(2_400);
/** Requests sent at once per property run, over the keep-alive sockets. */
const BATCH = 8;
const ROUTES = ['GET /whoami', 'GET /data', 'POST /auth/logout'] as const;
type Route = (typeof ROUTES)[number];

function describeCookieFuzz(target: ExampleTarget): void {
  describe(`reliability: fuzzed Cookie headers against the ${target.name} (F3, K2)`, function () {
    this.timeout(120_000 + INPUTS * 20);
    trackOutcomes();
    let app: { url: string; close(): Promise<void> };
    let client: KeepAliveClient;
    let real: RealCookie;
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    let sent = 0;
    let raw = 0;
    let granted = 0;
    let started = 0;

    before(async () => {
      app = await target.start({});
      client = new KeepAliveClient(app.url, BATCH);
      const login = new Client(app.url);
      expect((await login.post('/login', { json: { username: 'fuzz-target' } })).status).to.equal(200);
      real = { name: 'sw.sid', indicator: 'sw.sid.active', token: login.jar.get('sw.sid') ?? '' };
      started = performance.now();
    });

    after(async () => {
      client?.close();
      await app?.close();
      recordFigures('cookie fuzz', target.name, {
        inputs: sent,
        'sent over raw sockets (bytes Node\'s client refuses)': raw,
        statuses: [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', '),
        'sessions granted to fuzz': granted,
        'input kinds': [...kinds].sort(([, a], [, b]) => b - a).map(([kind, n]) => `${kind} ${n}`).join(', '),
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      });
    });

    async function send(input: FuzzCookie, route: Route): Promise<{ answer: Answer; route: Route; viaRaw: boolean }> {
      const [method = 'GET', path = '/'] = route.split(' ');
      if (input.headers.every(sendable)) {
        return { answer: await client.request(method, path, { cookie: input.headers.map((h) => h.toString('latin1')) }), route, viaRaw: false };
      }
      // Node's client refuses control characters; a raw socket sends them (GET only).
      return { answer: await rawGet(app.url, '/whoami', input.headers), route: 'GET /whoami', viaRaw: true };
    }

    async function check(input: FuzzCookie, chosen: Route): Promise<void> {
      expect(carriesRealToken(input, real), `the generator produced the real token: ${describeInput(input)}`).to.equal(false);
      const { answer, route, viaRaw } = await send(input, chosen);
      sent += 1;
      if (viaRaw) raw += 1;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      for (const kind of input.kind.split(/ \+ |, /)) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const context = `${route} with ${describeInput(input)}`;
      expect(answer.failure, `no answer (the server must stay up): ${context}`).to.equal(undefined);
      expect(answer.status, `never a 5xx (F3): ${context}`).to.be.below(500);
      const issued = answer.setCookies.filter((cookie) => cookie.name === real.name && !isClearing(cookie));
      if (issued.length > 0 || (route === 'GET /whoami' && answer.status === 200)) granted += 1;
      expect(issued.map((cookie) => cookie.raw), `no session cookie issued to fuzz (T3, K2): ${context}`).to.deep.equal([]);
      // Node's own parser refuses some bytes with 400 before the app runs: anonymous too.
      if (viaRaw && answer.status === 400) return;
      if (route === 'GET /whoami') {
        expect([answer.status, answer.json], `anonymous (K2): ${context}`).to.deep.equal([401, { error: 'not_logged_in' }]);
      } else if (route === 'GET /data') {
        expect([answer.status, answer.json], `no session data visible (K2): ${context}`).to.deep.equal([200, { data: {} }]);
      } else {
        expect(answer.status, `logout answers 2xx (L2): ${context}`).to.equal(200);
        expect(answer.json, `logout body (L2, L3): ${context}`).to.deep.include({ loggedOut: true });
        expect(answer.setCookies.some((cookie) => cookie.name === real.name && isClearing(cookie)), `logout clears the session cookie (L2): ${context}`).to.equal(true);
      }
    }

    it(`F3, K2, L2: ${INPUTS} fuzzed Cookie headers never cause a 5xx, never grant a session, and the server stays up`, async () => {
      const control = await client.request('GET', '/whoami', { cookie: `${real.name}=${real.token}` });
      expect(control.status, 'the real cookie is logged in, so anonymous answers below are a finding').to.equal(200);
      const batch = fc.array(fc.tuple(fuzzCookies(real), fc.constantFrom(...ROUTES)), { minLength: BATCH, maxLength: BATCH });
      await fc.assert(fc.asyncProperty(batch, async (inputs) => {
        await Promise.all(inputs.map(([input, route]) => check(input, route)));
      }), fcOptions(Math.ceil(INPUTS / BATCH)));
      expect((await client.request('GET', '/healthz')).status, 'the server is still up').to.equal(200);
      const after = await client.request('GET', '/whoami', { cookie: `${real.name}=${real.token}` });
      expect(after.status, 'the real session still works after the fuzz').to.equal(200);
    });
  });
}

describeCookieFuzz(expressExample);
describeCookieFuzz(koaExample);
