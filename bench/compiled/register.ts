/**
 * `--import` this file (after `--import tsx`) to run our packages from the compiled copy in
 * BENCH_BUILD_DIR instead of packages/*: see compile.ts and hooks.ts.
 */
import { register } from 'node:module';
import { ROOT } from '../results.js';
import { COMPILED_PACKAGES } from './packages.js';

const dir = process.env['BENCH_BUILD_DIR'];
if (dir === undefined || dir === '') throw new Error('BENCH_BUILD_DIR is not set: it names the compiled copy of our packages');
register(new URL('./hooks.ts', import.meta.url), { data: { dir, root: ROOT, packages: COMPILED_PACKAGES } });
