import { execFile } from 'node:child_process';
import { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { Response } from 'express';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey } from './matrix-app.js';

/**
 * SPEC R2: no process-global patch. An app or route that never mounts session() runs on
 * untouched Express/Node objects, before and after session apps served requests.
 */

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./no-global-patch.fixture.ts', import.meta.url));
const METHODS = ['writeHead', 'write', 'end', 'flushHeaders', 'setHeader', 'getHeader', 'removeHeader', 'hasHeader'] as const;

/** What responses resolve the methods to, captured when mocha loads this file: before any test served a request. */
function resolved(response: object): Record<string, unknown> {
  return Object.fromEntries(METHODS.map((m) => [m, (response as Record<string, unknown>)[m]]));
}
const nodeMethods = resolved(ServerResponse.prototype);
const expressMethods = new Map(EXPRESS_VERSIONS.map(([version, x]) => [version, resolved(x.response)]));

describe('R2 no process-global patch (Express 5 and 4, a fresh process)', () => {
  it('R2: captured before sessionware is imported: after session apps served requests, Node and Express response objects are untouched and a plain app sees the original methods', async function () {
    this.timeout(30_000);
    const { stdout } = await run(process.execPath, ['--conditions=sessionware-source', '--import', 'tsx', fixture], { timeout: 25_000 });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    const result = JSON.parse(lastLine) as { changed: string[]; plainProblems: string[] };
    expect(result.changed, 'properties changed on shared prototypes').to.deep.equal([]);
    expect(result.plainProblems, 'what a plain app saw on its responses').to.deep.equal([]);
  });
});

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`R2 no process-global patch (${version}, this process)`, () => {
    const apps = appsFor(x);

    it('R2: after a session app served requests, a plain app in the same process answers on the original methods', async () => {
      const sessionApp = await apps.start({
        routes: (app) => {
          app.post('/chunks', (req, res) => {
            mark(req, 'written', 'chunks');
            res.write('a');
            res.end('b');
          });
        },
      });
      const written = await within(sessionApp.client.post('/chunks'), 'POST /chunks');
      expect(written.body).to.equal('ab');
      expect(await readKey(sessionApp, 'written')).to.equal('chunks');

      const seen: string[] = [];
      const plain = await apps.start({
        session: false,
        routes: (app) => {
          app.get('/plain', (_req, res: Response) => {
            for (const m of METHODS) {
              if (Object.hasOwn(res, m)) seen.push(`res has an own ${m}`);
              const method = (res as unknown as Record<string, unknown>)[m];
              if (method !== expressMethods.get(version)?.[m]) seen.push(`res.${m} is not Express's original`);
            }
            res.json({ plain: true });
          });
        },
      });
      const reply = await within(plain.client.get('/plain'), 'GET /plain');
      expect(reply.json).to.deep.equal({ plain: true });
      expect(seen).to.deep.equal([]);
      expect(resolved(ServerResponse.prototype), 'http.ServerResponse.prototype').to.deep.equal(nodeMethods);
      expect(resolved(x.response), `${version}'s response object`).to.deep.equal(expressMethods.get(version));
      await expectAlive(plain);
      await expectAlive(sessionApp);
    });
  });
}
