/**
 * How a measured process runs our packages: `compiled` (the HTTP targets and the profiler:
 * the JavaScript that `pnpm build` wrote to `packages/<name>/dist`, through the packages'
 * default export condition, as users run them from npm) or `source` (the TypeScript sources
 * through tsx, as the tests run them: the micro-benchmarks also run so, to show what tsx
 * adds). The bench's own TypeScript always runs through tsx, which leaves `.js` files as they are.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './results.js';

export interface Runtime {
  readonly kind: 'compiled' | 'source';
  /** Node options that load the TypeScript of bench/ and select our packages' code. */
  readonly nodeArgs: readonly string[];
}

/** Our packages the benchmark measures, by directory under packages/. */
const PACKAGES = ['core', 'express', 'koa', 'redis'] as const;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** A digest of our packages' sources now (paths and contents): which code a results file measured. */
export function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const name of PACKAGES) {
    for (const file of files(join(ROOT, 'packages', name, 'src')).sort()) {
      hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Throws unless every package's dist/ is at least as new as its sources: stale builds measure old code. */
function assertBuilt(): void {
  for (const name of PACKAGES) {
    const built = join(ROOT, 'packages', name, 'dist/index.js');
    let builtAt: number;
    try {
      builtAt = statSync(built).mtimeMs;
    } catch {
      throw new Error(`${relative(ROOT, built)} is missing: run pnpm build (pnpm bench does)`);
    }
    const stale = files(join(ROOT, 'packages', name, 'src')).find((file) => statSync(file).mtimeMs > builtAt);
    if (stale !== undefined) throw new Error(`${relative(ROOT, stale)} is newer than its build: run pnpm build (pnpm bench does)`);
  }
}

/** The runtime of `kind`; `compiled` checks that the build is current. */
export function runtimeOf(kind: Runtime['kind']): Runtime {
  if (kind === 'source') return { kind, nodeArgs: ['--conditions=sessionware-source', '--import', 'tsx'] };
  assertBuilt();
  return { kind, nodeArgs: ['--import', 'tsx'] };
}
