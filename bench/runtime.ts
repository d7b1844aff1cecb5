/**
 * How a measured process runs our packages: `compiled` (the HTTP targets and the profiler:
 * the JavaScript that `pnpm build` wrote to `packages/<name>/dist`, through the packages'
 * default export condition, as users run them from npm) or `source` (the TypeScript sources
 * through tsx, as the tests run them: the micro-benchmarks also run so, to show what tsx
 * adds). The bench's own TypeScript always runs through tsx, which leaves `.js` files as they are.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './results.js';

export type Runtime = {
  readonly kind: 'compiled' | 'source';
  /** Node options that load the TypeScript of bench/ and select our packages' code. */
  readonly nodeArgs: readonly string[];
};

/** The TypeScript sources of our packages the benchmark measures (core, express, koa, redis), per package. */
const PACKAGES = ['core', 'express', 'koa', 'redis'] as const;
const sources = (name: string): string[] => readdirSync(join(ROOT, 'packages', name, 'src'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => join(entry.parentPath, entry.name)).sort();

/** A digest of our packages' sources now (paths and contents): which code a results file measured. */
export function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of PACKAGES.flatMap(sources)) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** The runtime of `kind`; `compiled` first checks that every package's dist/ is at least as new as its sources: stale builds measure old code. */
export function runtimeOf(kind: Runtime['kind']): Runtime {
  if (kind === 'source') return { kind, nodeArgs: ['--conditions=sessionware-source', '--import', 'tsx'] };
  for (const name of PACKAGES) {
    const built = join(ROOT, 'packages', name, 'dist/index.js');
    if (!existsSync(built)) throw new Error(`${relative(ROOT, built)} is missing: run pnpm build (pnpm bench does)`);
    const stale = sources(name).find((file) => statSync(file).mtimeMs > statSync(built).mtimeMs);
    if (stale !== undefined) throw new Error(`${relative(ROOT, stale)} is newer than its build: run pnpm build (pnpm bench does)`);
  }
  return { kind, nodeArgs: ['--import', 'tsx'] };
}
