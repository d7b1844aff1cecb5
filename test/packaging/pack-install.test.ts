import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Client, startRedisServer, type RedisServer } from '@sessionware/test-support';
import { npmProject, packAll, packedFiles, packedManifest, PACKAGES, startApp, typeCheckAndBuild, type App, type PackageDir } from './support.js';

const SECRETS = 'pack-install-secret-1-4b7e0c9d2a5f8e1b3c6d9f0a2b4c6d8e,pack-install-secret-0-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';

/** login → whoami → logout → whoami, as every fixture app answers it. */
async function loginWhoamiLogout(url: string): Promise<void> {
  const client = new Client(url);
  expect((await client.get('/whoami')).status, 'whoami before login').to.equal(401);
  const login = await client.post('/login?user=kim');
  expect(login.status, login.body).to.equal(200);
  expect(login.json).to.deep.equal({ user: { id: 'kim' } });
  const whoami = await client.get('/whoami');
  expect(whoami.status, whoami.body).to.equal(200);
  expect(whoami.json).to.deep.include({ user: { id: 'kim' } });
  const logout = await client.post('/auth/logout');
  expect(logout.status, logout.body).to.equal(200);
  expect(logout.json).to.deep.include({ loggedOut: true });
  expect(client.jar.size, 'both cookies cleared').to.equal(0);
  expect((await client.get('/whoami')).status, 'whoami after logout').to.equal(401);
}

describe('issue 16: pack-and-install — pnpm pack tarballs installed with npm outside the workspace', function () {
  this.timeout(300_000);
  let tmp: string;
  let tarballs: Record<PackageDir, string>;
  let express: string;
  let koa: string;
  let koaRouter: string;
  let redis: RedisServer;
  const apps: App[] = [];
  const start = async (dir: string, file: string, env: Record<string, string> = {}) => {
    const app = await startApp(dir, file, { SESSION_SECRETS: SECRETS, ...env });
    apps.push(app);
    return app;
  };

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'sessionware-pack-install-'));
    tarballs = await packAll(join(tmp, 'tarballs'));
    const types = ['@types/node@20'];
    [express, koa, koaRouter, redis] = await Promise.all([
      npmProject(join(tmp, 'express'), 'express', [tarballs.core, tarballs.express, tarballs.redis, 'express@5', 'ioredis@6', '@types/express@5', ...types]),
      npmProject(join(tmp, 'koa'), 'koa', [tarballs.core, tarballs.koa, 'koa@3', '@types/koa@3', ...types]),
      npmProject(join(tmp, 'koa-router'), 'koa-router', [tarballs.core, tarballs.koa, 'koa@3', '@koa/router@15', '@types/koa@3', ...types]),
      startRedisServer(),
    ]);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });
  after(async () => {
    await redis?.stop();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it('every tarball: no workspace: range, exports with types first and no source condition, sideEffects false, the metadata, LICENSE, README, CHANGELOG and dist', async () => {
    for (const name of PACKAGES) {
      const manifest = await packedManifest(tarballs[name]);
      const text = JSON.stringify(manifest);
      expect(text, name).to.not.include('workspace:');
      expect(text, name).to.not.include('sessionware-source');
      for (const conditions of Object.values(manifest['exports'] as Record<string, Record<string, string>>)) {
        expect(Object.keys(conditions), name).to.deep.equal(['types', 'default']);
      }
      expect(manifest, name).to.include({ license: 'MIT', sideEffects: false, type: 'module' });
      expect(manifest, name).to.have.keys(
        'name', 'version', 'description', 'keywords', 'license', 'author', 'homepage', 'repository', 'bugs', 'type', 'engines',
        'main', 'types', 'exports', 'sideEffects', 'files', 'scripts', 'dependencies', 'publishConfig',
        ...Object.keys(manifest).filter((key) => /^(peer|dev)Dependencies/.test(key)),
      );
      expect(manifest['repository'], name).to.deep.equal({ type: 'git', url: 'git+https://github.com/sessionware/sessionware.git', directory: `packages/${name}` });
      expect(manifest['publishConfig'], name).to.deep.equal({ access: 'public' });
      const files = await packedFiles(tarballs[name]);
      expect(files, name).to.include.members(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']);
      expect(files.filter((file) => /(^|\/)test\//.test(file)), name).to.deep.equal([]);
    }
    const koaManifest = await packedManifest(tarballs.koa);
    expect(koaManifest['peerDependenciesMeta']).to.deep.equal({ '@koa/router': { optional: true } });
  });

  it('Express 5, TypeScript ESM: tsc --strict passes against the installed .d.ts (SessionData augmented); login / whoami / logout on the MemoryStore', async () => {
    await typeCheckAndBuild(express);
    const app = await start(express, 'dist/app.js');
    expect(app.output()).to.include('(MemoryStore)');
    await loginWhoamiLogout(app.url);
  });

  it('CommonJS: require(\'@sessionware/express\') of the ESM-only package on Node >= 20.19; login / whoami / logout', async () => {
    const app = await start(express, 'cjs-app.cjs');
    await loginWhoamiLogout(app.url);
  });

  it('the Redis store from its tarball on a real redis-server: the session is stored in Redis; login / whoami / logout', async () => {
    await typeCheckAndBuild(express);
    const app = await start(express, 'dist/app.js', { REDIS_URL: redis.url });
    expect(app.output()).to.include('(Redis)');
    const client = new Redis(redis.url);
    try {
      await client.flushdb();
      const http = new Client(app.url);
      expect((await http.post('/login?user=kim')).status).to.equal(200);
      expect(await client.dbsize(), 'keys in Redis after login').to.be.greaterThan(0);
      expect((await http.post('/auth/logout')).status).to.equal(200);
    } finally {
      client.disconnect();
    }
    await loginWhoamiLogout(app.url);
  });

  it('Koa 3, TypeScript, without @koa/router installed: session() and logout() work; logoutRouter() says it needs @koa/router', async () => {
    await typeCheckAndBuild(koa);
    const app = await start(koa, 'dist/app.js');
    await loginWhoamiLogout(app.url);
    const { json } = await new Client(app.url).get('/router-error');
    expect(json).to.deep.equal({ routerError: 'logoutRouter() needs @koa/router: install it (npm install @koa/router), or mount logout() on your own route' });
  });

  it('Koa 3, TypeScript, with @koa/router: tsc --strict passes (skipLibCheck off); sessions.logoutRouter() logs out', async () => {
    await typeCheckAndBuild(koaRouter);
    const app = await start(koaRouter, 'dist/app.js');
    await loginWhoamiLogout(app.url);
  });
});
