/** A variant of `ab.ts` and `instructions.ts`: an app of a checkout, with its environment. */
import { resolve } from 'node:path';
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

