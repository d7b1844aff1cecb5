/** A variant of `ab.ts` and `instructions.ts`: an app of a checkout, with its environment. */
import { resolve } from 'node:path';
import { startTarget, type RunningTarget, type StartOptions, type TargetInfo } from '../http/targets.js';
import { ROOT } from '../results.js';

export interface Variant {
  readonly label: string;
  readonly root: string;
  readonly app: string;
  readonly env: Record<string, string>;
}

export function parseVariant(text: string): Variant {
  const [label, spec] = text.split('=', 2) as [string, string | undefined];
  if (spec === undefined || label === '') throw new Error(`variant is invalid: expected label=[root:]app[,NAME=value...], got ${text}`);
  const [where = '', ...pairs] = text.slice(label.length + 1).split(',');
  const colon = where.lastIndexOf(':');
  const root = colon === -1 ? ROOT : resolve(where.slice(0, colon));
  const app = colon === -1 ? where : where.slice(colon + 1);
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`variant ${label}: environment entry is invalid: ${pair}`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { label, root, app, env };
}


/** Our packages compiled once per checkout the variants name; `remove()` deletes every copy. */
export interface VariantBuilds {
  /** Starts a variant on its checkout's compiled packages (options as `startTarget`'s, less the runtime). */
  start(variant: Variant, options: Omit<StartOptions, 'runtime'>): Promise<RunningTarget>;
  remove(): void;
}

/** Compiles the packages of each checkout the variants name, as `pnpm bench` compiles them. */
export async function compileVariants(variants: readonly Variant[]): Promise<VariantBuilds> {
  type Compiled = { dir: string; remove(): void };
  const builds = new Map<string, Compiled>();
  for (const root of new Set(variants.map((variant) => variant.root))) {
    const { compilePackages } = (await import(resolve(root, 'bench/compiled/compile.ts'))) as { compilePackages(): Compiled };
    builds.set(root, compilePackages());
  }
  return {
    start(variant, options) {
      const build = builds.get(variant.root);
      if (build === undefined) throw new Error(`no build for ${variant.root}`);
      const info: TargetInfo = {
        id: 'floor', label: variant.label, framework: 'express', store: 'redis',
        app: resolve(variant.root, 'bench/apps', variant.app), packages: [], env: variant.env,
      };
      return startTarget(info, {
        ...options,
        runtime: {
          kind: 'compiled',
          nodeArgs: ['--import', 'tsx', '--import', resolve(variant.root, 'bench/compiled/register.ts')],
          env: { BENCH_BUILD_DIR: build.dir },
        },
      });
    },
    remove() {
      for (const build of builds.values()) build.remove();
    },
  };
}
