#!/usr/bin/env node
// Starts an example server for `pnpm demo` / `pnpm demo:koa` (SPEC §E): with NODE_ENV=development
// when NODE_ENV is unset, so a demo without SESSION_SECRETS runs on a per-process secret while the
// library itself fails closed (SPEC K3). Cross-platform: no shell syntax. Usage: node scripts/demo.mjs <server.ts>
import { spawn } from 'node:child_process';

const [entry] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node scripts/demo.mjs <server entry>');
  process.exit(2);
}
const env = { ...process.env };
if (env.NODE_ENV === undefined || env.NODE_ENV === '') env.NODE_ENV = 'development';
const child = spawn(process.execPath, ['--conditions=sessionware-source', '--import', 'tsx', entry], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal !== null) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
