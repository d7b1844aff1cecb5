/**
 * Runs the micro-benchmarks in a fresh Node process with a given runtime (so compiled and
 * source runs never share a JIT or a heap): the parent calls `runMicroInChild()`, which starts
 * this file, which runs them and sends its cases back over IPC. Its log lines go to stdout.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MicroCase } from '../results.js';
import type { Runtime } from '../runtime.js';

const SELF = fileURLToPath(import.meta.url);

export function runMicroInChild(runtime: Runtime, options: { runs: number; runMs: number }): Promise<MicroCase[]> {
  const child = spawn(process.execPath, [...runtime.nodeArgs, SELF], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', BENCH_RUNTIME: runtime.kind, BENCH_MICRO_RUNS: String(options.runs), BENCH_MICRO_RUN_MS: String(options.runMs) },
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Imported only here: the parent process never loads our packages.
  const { runMicroBenchmarks } = await import('./micro.js');
  const options = { runs: Number(process.env['BENCH_MICRO_RUNS']), runMs: Number(process.env['BENCH_MICRO_RUN_MS']) };
  const cases = await runMicroBenchmarks(options, (line) => console.log(`[bench] ${process.env['BENCH_RUNTIME'] ?? ''} ${line}`));
  process.send?.({ type: 'micro', cases }, () => process.exit(0));
}
