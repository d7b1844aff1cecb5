/**
 * Pack-and-install support (issue 16): packs the publishable packages with `pnpm pack` (whose
 * `prepack` builds them), installs the tarballs with npm into projects outside the workspace,
 * type-checks and starts the fixture apps there, as a user of the published packages would.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listeningUrl } from '@sessionware/test-support';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** The publishable packages; core first, since the others build against its dist. */
export const PACKAGES = ['core', 'express', 'koa', 'redis', 'store-test'] as const;
export type PackageDir = (typeof PACKAGES)[number];

/** Runs a command; on failure the error carries its whole output. */
async function exec(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** `pnpm pack` of every publishable package into `dir`; resolves with the tarball path of each. */
export async function packAll(dir: string): Promise<Record<PackageDir, string>> {
  await mkdir(dir, { recursive: true });
  const pack = (name: PackageDir) => exec('pnpm', ['pack', '--pack-destination', dir], join(ROOT, 'packages', name));
  await pack('core');
  await Promise.all(PACKAGES.filter((name) => name !== 'core').map(pack));
  const files = await readdir(dir);
  const tarballs = {} as Record<PackageDir, string>;
  for (const name of PACKAGES) {
    const file = files.find((entry) => entry.startsWith(`sessionware-${name}-`) && entry.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}: ${files.join(', ')}`);
    tarballs[name] = join(dir, file);
  }
  return tarballs;
}

/** The package.json inside a tarball. */
export async function packedManifest(tarball: string): Promise<Record<string, unknown>> {
  return JSON.parse(await exec('tar', ['-xzOf', tarball, 'package/package.json'], ROOT)) as Record<string, unknown>;
}

/** The file list of a tarball, without the `package/` prefix. */
export async function packedFiles(tarball: string): Promise<string[]> {
  return (await exec('tar', ['-tzf', tarball], ROOT)).split('\n').filter((line) => line !== '').map((line) => line.replace(/^package\//, ''));
}

/** A fresh npm project at `dir` with the fixture files of `fixture`, then `npm install` of `specs` (tarball paths and registry packages). */
export async function npmProject(dir: string, fixture: string, specs: readonly string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `pack-install-${fixture}`, private: true, type: 'module' }, null, 2));
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
  return dir;
}

const builds = new Map<string, Promise<string>>();

/** `tsc -p tsconfig.json` in the project, once: it sees only the project's node_modules (no paths, nodenext resolution). */
export async function typeCheckAndBuild(dir: string): Promise<void> {
  if (!builds.has(dir)) builds.set(dir, exec(process.execPath, [TSC, '-p', 'tsconfig.json'], dir));
  await builds.get(dir);
}

/** One app process, started on a free loopback port. */
export interface App {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <file>` in `dir` with PORT=0 and resolves with the URL of its `listening on` line. */
export async function startApp(dir: string, file: string, env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, [file], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const { url, output } = await listeningUrl(child, file);
  return {
    url,
    child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
