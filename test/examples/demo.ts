import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { Client, listeningUrl } from '@sessionware/test-support';
import { EXAMPLE_SECRETS, type ExampleTarget } from './targets.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Starts the README's demo command in its own process group (`env` over ours; undefined unsets); resolves with its URL line. */
export async function startDemo(command: string[], env: Record<string, string | undefined>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const [file = '', ...args] = command;
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const child = spawn(file, args, { cwd: ROOT, env: merged, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const { url, output } = await listeningUrl(child, 'demo');
  return { child, url, output };
}

/** Ends the demo's process group (pnpm and the node process it started). */
export async function stopDemo(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : Promise.resolve();
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // The group is already gone.
  }
  await exited;
}

/** The README's demo command, started as a user would (SPEC §E environment). */
export function describeDemoCommand(target: ExampleTarget): void {
  describe(`demo command: ${target.demoCommand.join(' ')}`, function () {
    this.timeout(60_000);
    const started: ChildProcess[] = [];
    afterEach(async () => {
      await Promise.all(started.splice(0).map(stopDemo));
    });

    it('§E: prints one line with its URL and serves login → whoami → logout on the MemoryStore', async () => {
      const demo = await startDemo(target.demoCommand, { PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, SESSION_COOKIE_EXPIRY: 'persistent', SESSION_IDLE_TIMEOUT: '15m' });
      started.push(demo.child);
      const client = new Client(demo.url);
      const login = await client.post('/login', { json: { username: 'demo' } });
      expect(login.status).to.equal(200);
      expect(Number(login.cookie('sw.sid')!.attributes['max-age'])).to.be.within(898, 900);
      expect((await client.get('/whoami')).status).to.equal(200);
      expect((await client.post('/auth/logout')).json).to.deep.include({ loggedOut: true });
      expect((await client.get('/whoami')).status).to.equal(401);
      expect(demo.output().match(/listening on/g)).to.have.length(1);
    });

    for (const mode of ['production', 'staging']) {
      it(`K3: with NODE_ENV=${mode} and no SESSION_SECRETS the demo refuses to start and says why`, async () => {
        const env: Record<string, string | undefined> = { ...process.env, PORT: '0', NODE_ENV: mode };
        delete env['SESSION_SECRETS'];
        const [file = '', ...args] = target.demoCommand;
        const child = spawn(file, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        started.push(child);
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        const [code] = (await once(child, 'exit')) as [number | null];
        expect(code).to.not.equal(0);
        expect(output).to.include('SESSION_SECRETS').and.include('option secrets').and.include(`NODE_ENV is "${mode}"`);
        expect(output).to.not.include('listening on');
      });
    }

    it('K3, §E: with NODE_ENV unset and no SESSION_SECRETS the demo runs as NODE_ENV=development: it starts, warning once that sessions will not survive a restart', async () => {
      const demo = await startDemo(target.demoCommand, { PORT: '0', SESSION_SECRETS: undefined, NODE_ENV: undefined });
      started.push(demo.child);
      expect((await new Client(demo.url).post('/login', { json: { username: 'dev' } })).status).to.equal(200);
      expect(demo.output().match(/will not survive a restart/g)).to.have.length(1);
    });
  });
}
