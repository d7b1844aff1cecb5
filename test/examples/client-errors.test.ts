// Client mistakes against both example apps: 4xx with a JSON error body, identical on both,
// logged as client errors and never as failures (SPEC §E, T10; issue 13).
import { expect } from 'chai';
import { Client } from '@sessionware/test-support';
import { expressExample, koaExample } from './targets.js';

interface Mistake {
  title: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  error: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const json = (value: unknown) => JSON.stringify(value);

/** Each mistake, and what both apps answer: `{"error": error}` with `status`. */
const MISTAKES: Mistake[] = [
  { title: 'a bad percent-encoding in the path', method: 'PUT', path: '/data/%zz', headers: JSON_TYPE, body: json({ value: 1 }), status: 400, error: 'bad_request' },
  { title: 'a bad percent-encoding on an unknown route', method: 'GET', path: '/%E0%A4%A', status: 400, error: 'bad_request' },
  { title: 'malformed JSON', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: '{"value":', status: 400, error: 'bad_request' },
  { title: 'a JSON array body', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: '[]', status: 400, error: 'bad_request' },
  { title: 'a JSON string body', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: '"x"', status: 400, error: 'bad_request' },
  { title: 'a JSON null body', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: 'null', status: 400, error: 'bad_request' },
  { title: 'a JSON array body at login', method: 'POST', path: '/login', headers: JSON_TYPE, body: '["ann"]', status: 400, error: 'bad_request' },
  { title: 'a body past the parser limit (16 KiB)', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: json({ value: 'x'.repeat(17_000) }), status: 413, error: 'payload_too_large' },
  { title: 'an unsupported Content-Encoding', method: 'PUT', path: '/data/k', headers: { ...JSON_TYPE, 'content-encoding': 'compress' }, body: json({ value: 1 }), status: 415, error: 'unsupported_media_type' },
  { title: 'a body that is not the gzip it claims', method: 'PUT', path: '/data/k', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: json({ value: 1 }), status: 400, error: 'bad_request' },
  { title: 'an unsupported charset (JSON)', method: 'PUT', path: '/data/k', headers: { 'content-type': 'application/json; charset=latin1' }, body: json({ value: 1 }), status: 415, error: 'unsupported_media_type' },
  { title: 'an unsupported charset (form)', method: 'POST', path: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }, body: 'username=ann', status: 415, error: 'unsupported_media_type' },
  { title: 'a text/plain body on PUT /data/:key', method: 'PUT', path: '/data/k', headers: { 'content-type': 'text/plain' }, body: json({ value: 1 }), status: 415, error: 'unsupported_media_type' },
  { title: 'a text/plain body at login', method: 'POST', path: '/login', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: json({ username: 'ann' }), status: 415, error: 'unsupported_media_type' },
  { title: 'login without a username', method: 'POST', path: '/login', headers: JSON_TYPE, body: '{}', status: 400, error: 'invalid_username' },
  { title: 'login with an empty username', method: 'POST', path: '/login', headers: JSON_TYPE, body: json({ username: ' ' }), status: 400, error: 'invalid_username' },
  { title: 'login with a non-string username', method: 'POST', path: '/login', headers: JSON_TYPE, body: json({ username: ['ann'] }), status: 400, error: 'invalid_username' },
  { title: 'login with an over-long username', method: 'POST', path: '/login', headers: JSON_TYPE, body: json({ username: 'x'.repeat(65) }), status: 400, error: 'invalid_username' },
  { title: 'login with no body at all', method: 'POST', path: '/login', status: 400, error: 'invalid_username' },
  { title: 'PUT /data/__proto__', method: 'PUT', path: '/data/__proto__', headers: JSON_TYPE, body: json({ value: 1 }), status: 400, error: 'invalid_data' },
  { title: 'PUT /data/constructor', method: 'PUT', path: '/data/constructor', headers: JSON_TYPE, body: json({ value: {} }), status: 400, error: 'invalid_data' },
  { title: 'PUT /data/:key without value', method: 'PUT', path: '/data/k', headers: JSON_TYPE, body: json({ other: 1 }), status: 400, error: 'invalid_data' },
  { title: 'PUT /data/:key with no body', method: 'PUT', path: '/data/k', status: 400, error: 'invalid_data' },
];

describe('example client errors (SPEC §E, issue 13): both apps answer a client mistake alike', () => {
  const apps = [expressExample, koaExample].map((target) => ({ target, url: '', lines: { warn: [] as string[], error: [] as string[] }, close: async () => undefined as void }));
  before(async () => {
    for (const app of apps) {
      const running = await app.target.start({}, { warn: (line) => app.lines.warn.push(line), error: (line) => app.lines.error.push(line) });
      Object.assign(app, running);
    }
  });
  after(() => Promise.all(apps.map((app) => app.close())));
  beforeEach(() => {
    for (const app of apps) app.lines = { warn: [], error: [] };
  });

  for (const mistake of MISTAKES) {
    // The error path logs one client-error line; a route's own 400 (invalid_username, invalid_data) logs nothing.
    const logged = !mistake.error.startsWith('invalid_');
    it(`§E: ${mistake.title} → ${mistake.status} {"error": "${mistake.error}"} on both${logged ? ', logged as a client error' : ''}, never as a failure`, async () => {
      const answers = [];
      for (const app of apps) {
        const init: RequestInit = { method: mistake.method, headers: mistake.headers ?? {} };
        if (mistake.body !== undefined) init.body = mistake.body;
        const response = await fetch(app.url + mistake.path, init);
        answers.push({ status: response.status, type: response.headers.get('content-type'), body: await response.text() });
        expect(app.lines.error, `${app.target.name} logs no failure`).to.deep.equal([]);
        expect(app.lines.warn, `${app.target.name} logs a client error`).to.have.length(logged ? 1 : 0);
        for (const line of app.lines.warn) expect(line).to.match(new RegExp(`^client error ${mistake.status} ${mistake.error}: `));
      }
      expect(answers[0]).to.deep.equal({ status: mistake.status, type: 'application/json; charset=utf-8', body: json({ error: mistake.error }) });
      expect(answers[1], 'koa answers as express does').to.deep.equal(answers[0]);
    });
  }

  it('§E: PUT /data/login and /data/save are ordinary keys (stored under the data: prefix) and read back on both', async () => {
    for (const app of apps) {
      const client = new Client(app.url);
      expect((await client.request('PUT', '/data/login', { json: { value: 1 } })).json).to.deep.equal({ ok: true });
      expect((await client.request('PUT', '/data/save', { json: { value: 'x' } })).json).to.deep.equal({ ok: true });
      expect((await client.get('/data')).json, app.target.name).to.deep.equal({ data: { login: 1, save: 'x' } });
    }
  });

  it('§E, T10: a session past maxSessionBytes (64 KiB) answers 413 {"error": "ERR_SESSION_DATA"} on both, and keeps what was stored', async () => {
    for (const app of apps) {
      const client = new Client(app.url);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 6; i += 1) {
        last = await client.request('PUT', `/data/k${i}`, { json: { value: 'x'.repeat(15_000) } });
        statuses.push(last.status);
      }
      expect(statuses, app.target.name).to.deep.equal([200, 200, 200, 200, 413, 413]);
      expect(last?.json).to.deep.equal({ error: 'ERR_SESSION_DATA' });
      const { data } = (await client.get('/data')).json as { data: Record<string, string> };
      expect(Object.keys(data).sort()).to.deep.equal(['k0', 'k1', 'k2', 'k3']);
      expect(app.lines.error, `${app.target.name} logs no failure`).to.deep.equal([]);
      expect(app.lines.warn.at(-1)).to.match(/^client error 413 ERR_SESSION_DATA: /);
    }
  });
});
