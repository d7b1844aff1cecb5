/**
 * Compiles our packages' current TypeScript sources to plain JavaScript in a temporary
 * directory, the way `tsc` would (the same compiler and options, file by file, which
 * `isolatedModules` makes equivalent), so the benchmark measures the code users run from
 * npm, built from the sources as they are now, without writing under packages/.
 *
 * Why not run the sources through tsx, as the tests do: tsx compiles with esbuild's
 * `keepNames`, which wraps every function and class in a `__name()` call that redefines its
 * `name` property each time it is created. Code that creates closures per request (the
 * session proxy, the response hold) then pays for that on every request, which compiled
 * code does not: bench/micro measures both, see docs/benchmarks.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../results.js';
import { COMPILED_PACKAGES } from './packages.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The compiler options of tsconfig.base.json, as `tsc -p packages/<name>/tsconfig.build.json` uses them. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'packages/core/tsconfig.build.json');
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error !== undefined) throw new Error(`cannot read ${configPath}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
  // Emit ES modules (what NodeNext emits for these "type": "module" packages), no declarations or maps.
  const { rootDir: _rootDir, outDir: _outDir, ...options } = parsed.options;
  return {
    ...options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: false,
    sourceMap: false,
    noEmit: false,
  };
}

/**
 * A digest of our packages' sources (paths and contents) now: which code a results file
 * measured, since the benchmark does not need a commit.
 */
export function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const name of COMPILED_PACKAGES) {
    for (const file of sources(join(ROOT, 'packages', name, 'src')).sort()) {
      hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** A compiled copy of our packages: `<dir>/<name>/…` mirrors `packages/<name>/src/…`. */
export interface CompiledPackages {
  readonly dir: string;
  remove(): void;
}

/** Compiles every package of {@link COMPILED_PACKAGES} into a new temporary directory. */
export function compilePackages(): CompiledPackages {
  const dir = mkdtempSync(join(tmpdir(), 'sessionware-bench-build-'));
  const options = compilerOptions();
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const name of COMPILED_PACKAGES) {
    const src = join(ROOT, 'packages', name, 'src');
    for (const file of sources(src)) {
      const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
      const errors = (output.diagnostics ?? []).filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0) {
        throw new Error(`cannot compile ${relative(ROOT, file)}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
      }
      const target = join(dir, name, relative(src, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
