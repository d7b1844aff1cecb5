/**
 * The micro-benchmarks' own process, started by `runMicroInChild()` with the runtime to
 * measure; sends its cases back over IPC.
 */
import { runMicroBenchmarks } from './micro.js';

const runs = Number(process.env['BENCH_MICRO_RUNS']);
const runMs = Number(process.env['BENCH_MICRO_RUN_MS']);
const label = process.env['BENCH_RUNTIME'] ?? '';
const cases = await runMicroBenchmarks({ runs, runMs }, (line) => console.log(`[bench] ${label} ${line}`));
process.send?.({ type: 'micro', cases }, () => process.exit(0));
