/**
 * Module resolution hooks for processes that run our compiled packages (see compile.ts and
 * register.ts): `@sessionware/<name>` resolves to `<dir>/<name>/index.js`, and a bare import
 * made from inside `<dir>/<name>/` (a dependency such as `jose` or `express`) resolves as it
 * would from `packages/<name>/`, so each package gets the dependencies it declares.
 */
import { pathToFileURL } from 'node:url';

interface ResolveContext {
  parentURL?: string | undefined;
  conditions: readonly string[];
  importAttributes?: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null | undefined;
  shortCircuit?: boolean | undefined;
}
type NextResolve = (specifier: string, context?: Partial<ResolveContext>) => ResolveResult | Promise<ResolveResult>;

let buildUrl = '';
let rootUrl = '';
let packages: readonly string[] = [];

/** Receives `{ dir, root, packages }` from `module.register()`. */
export function initialize(data: { dir: string; root: string; packages: readonly string[] }): void {
  buildUrl = pathToFileURL(`${data.dir}/`).href;
  rootUrl = pathToFileURL(data.root).href;
  packages = data.packages;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  // A package's root entry or a subpath entry (`@sessionware/core/node` → `core/node/index.js`).
  const [, ours, subpath = ''] = /^@sessionware\/([a-z-]+)(\/[a-z-]+)?$/.exec(specifier) ?? [];
  if (ours !== undefined && packages.includes(ours)) {
    return { url: `${buildUrl}${ours}${subpath}/index.js`, format: 'module', shortCircuit: true };
  }
  const parent = context.parentURL;
  const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z]+:/.test(specifier);
  if (bare && parent !== undefined && parent.startsWith(buildUrl)) {
    const name = parent.slice(buildUrl.length).split('/', 1)[0] ?? '';
    return nextResolve(specifier, { ...context, parentURL: `${rootUrl}packages/${name}/package.json` });
  }
  return nextResolve(specifier, context);
}
