/**
 * How a measured process runs our packages: `compiled` (the default: our sources compiled to
 * JavaScript by compile.ts, as users run them from npm) or `source` (the TypeScript sources
 * through tsx, as the tests run them: `BENCH_SOURCE=1`, to see what tsx adds).
 */
import { fileURLToPath } from 'node:url';
import { compilePackages } from './compile.js';

export type RuntimeKind = 'compiled' | 'source';

export interface Runtime {
  readonly kind: RuntimeKind;
  /** Node options that load the TypeScript of bench/ and select our packages' code. */
  readonly nodeArgs: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const REGISTER = fileURLToPath(new URL('./register.ts', import.meta.url));

/** The runtime selected by BENCH_SOURCE (unset or 0: compiled). */
export function runtimeKind(env: NodeJS.ProcessEnv = process.env): RuntimeKind {
  const value = env['BENCH_SOURCE'];
  if (value === undefined || value === '' || value === '0') return 'compiled';
  if (value === '1') return 'source';
  throw new Error(`BENCH_SOURCE is invalid: expected 0 or 1, got ${JSON.stringify(value)}`);
}

/** Prepares a runtime (compiling our packages for `compiled`), runs `use` with it, cleans up. */
export async function withRuntime<T>(kind: RuntimeKind, use: (runtime: Runtime) => Promise<T>): Promise<T> {
  if (kind === 'source') {
    return use({ kind, nodeArgs: ['--conditions=sessionware-source', '--import', 'tsx'], env: {} });
  }
  const build = compilePackages();
  try {
    return await use({ kind, nodeArgs: ['--import', 'tsx', '--import', REGISTER], env: { BENCH_BUILD_DIR: build.dir } });
  } finally {
    build.remove();
  }
}
