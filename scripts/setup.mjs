#!/usr/bin/env node
// Installs what a fresh machine of this project's kind lacks (Node 20 + npm, Debian, root),
// so that the README's two commands work from a clean clone. Each step is a no-op when its
// tool is already there. Usage: node scripts/setup.mjs [deps] [redis] [chromium]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PNPM_VERSION = '12.21.0';
const wanted = new Set(process.argv.slice(2));
if (wanted.size === 0) for (const step of ['deps', 'redis', 'chromium']) wanted.add(step);

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  console.log(`[setup] ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: 'inherit' });
}

let aptUpdated = false;
function aptInstall(...packages) {
  if (process.getuid?.() !== 0) {
    throw new Error(`[setup] ${packages.join(', ')} missing and not root: install them with apt-get`);
  }
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

if (!has('pnpm')) run('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`]);
if (wanted.has('deps')) run('pnpm', ['install', '--frozen-lockfile', '--reporter=silent']);
if (wanted.has('redis') && !has('redis-server')) aptInstall('redis-server');
if (wanted.has('chromium') && !existsSync('/usr/bin/chromium')) aptInstall('chromium');
