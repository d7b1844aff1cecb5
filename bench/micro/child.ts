import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../runtime.js';
import type { MicroCase } from '../results.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * Runs the micro-benchmarks in a fresh Node process with `runtime` (so compiled and source
 * runs never share a JIT or a heap) and answers its cases. Its log lines go to this stdout.
 */
export function runMicroInChild(runtime: Runtime, options: { runs: number; runMs: number }): Promise<MicroCase[]> {
  const child = spawn(process.execPath, [...runtime.nodeArgs, MAIN], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_RUNTIME: runtime.kind,
      BENCH_MICRO_RUNS: String(options.runs),
      BENCH_MICRO_RUN_MS: String(options.runMs),
    },
  });
  return new Promise((resolve, reject) => {
    let cases: MicroCase[] | undefined;
    child.on('message', (message: { type: string; cases: MicroCase[] }) => {
      if (message.type === 'micro') cases = message.cases;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (cases !== undefined && code === 0) resolve(cases);
      else reject(new Error(`micro-benchmarks (${runtime.kind}) exited with ${signal ?? code} without results`));
    });
  });
}
