import { expect } from 'chai';
import { Client } from '@sessionware/test-support';
import { expressExample, koaExample, type ExampleTarget } from './targets.js';

type Step = [method: string, path: string, body?: unknown];

/** One scripted visit covering every route of SPEC §E, bad input included. */
const SCRIPT: Step[] = [
  ['GET', '/healthz'],
  ['GET', '/whoami'],
  ['POST', '/verify-email'],
  ['POST', '/login', {}],
  ['GET', '/auth/session'],
  ['POST', '/reauthenticate'],
  ['GET', '/sensitive'],
  ['POST', '/login', { username: 'ann', remember: true }],
  ['GET', '/whoami'],
  ['GET', '/auth/session'],
  ['POST', '/reauthenticate'],
  ['GET', '/sensitive'],
  ['POST', '/counter'],
  ['POST', '/counter'],
  ['PUT', '/data/color', { value: 'blue' }],
  ['PUT', '/data/bad%20key', { value: 1 }],
  ['PUT', '/data/novalue', {}],
  ['GET', '/data'],
  ['DELETE', '/data/color'],
  ['GET', '/data'],
  ['POST', '/verify-email'],
  ['GET', '/whoami'],
  ['GET', '/auth/logout'],
  ['POST', '/auth/logout'],
  ['POST', '/auth/logout'],
  ['GET', '/whoami'],
  ['GET', '/auth/session'],
  ['GET', '/no-such-route'],
];

/** What must be identical: status, content type, body (ids and tokens normalised) and cookie shapes. */
async function transcript(target: ExampleTarget, expiry: string): Promise<unknown[]> {
  const app = await target.start({ SESSION_COOKIE_EXPIRY: expiry });
  try {
    const client = new Client(app.url);
    const lines: unknown[] = [];
    for (const [method, path, body] of SCRIPT) {
      const reply = await client.request(method, path, body === undefined ? {} : { json: body });
      lines.push({
        step: `${method} ${path}`,
        status: reply.status,
        type: reply.headers.get('content-type'),
        body: reply.body
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
          .replace(/(?<=":)\d{13}(?=[,}])/g, '<ms>'),
        cookies: reply.setCookies.map((cookie) => ({
          name: cookie.name,
          value: cookie.value === '' || cookie.value === '1' ? cookie.value : '<token>',
          attributes: Object.keys(cookie.attributes).sort(),
          maxAge: cookie.attributes['max-age'] === '0' ? '0' : cookie.attributes['max-age'] === undefined ? undefined : '>0',
        })),
      });
    }
    return lines;
  } finally {
    await app.close();
  }
}

describe('example parity (issue 4): Express and Koa answer the same', () => {
  for (const expiry of ['persistent', 'browser-session']) {
    it(`§E, C1, P1: the same script gets the same statuses, JSON bodies and cookie behaviour from both examples (SESSION_COOKIE_EXPIRY=${expiry})`, async () => {
      const [express, koa] = await Promise.all([transcript(expressExample, expiry), transcript(koaExample, expiry)]);
      expect(koa).to.deep.equal(express);
    });
  }
});
