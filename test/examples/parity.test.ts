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
  ['POST', '/login', { username: 'ann' }],
  ['GET', '/whoami'],
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
  ['GET', '/no-such-route'],
];

/** What must be identical: status, content type, body (ids and tokens normalised) and cookie shapes. */
async function transcript(target: ExampleTarget): Promise<unknown[]> {
  const app = await target.start({ SESSION_COOKIE_EXPIRY: 'persistent' });
  try {
    const client = new Client(app.url);
    const lines: unknown[] = [];
    for (const [method, path, body] of SCRIPT) {
      const reply = await client.request(method, path, body === undefined ? {} : { json: body });
      lines.push({
        step: `${method} ${path}`,
        status: reply.status,
        type: reply.headers.get('content-type'),
        body: reply.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
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
  it('§E, C1: the same script gets the same statuses, JSON bodies and cookie behaviour from both examples', async () => {
    const [express, koa] = await Promise.all([transcript(expressExample), transcript(koaExample)]);
    expect(koa).to.deep.equal(express);
  });
});
