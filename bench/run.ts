/**
 * `pnpm bench`: the micro-benchmarks, then the HTTP benchmark, then the report. Writes the
 * raw results to bench/results/bench-<time>.json, then docs/benchmarks.md and
 * docs/benchmarks.svg from that file. Settings come from the environment (see config.ts);
 * `BENCH_PARTS=micro` runs only the micro-benchmarks (and writes a results file with only
 * those, without touching the report).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readConfig } from './config.js';
import { runHttpBenchmark } from './http/harness.js';
import { runMicroInChild } from './micro/micro.js';
import { writeReport } from './report/report.js';
import { machineInfo, packageVersion, RESULTS_DIR, type BenchResults } from './results.js';
import { runtimeOf, sourceDigest } from './runtime.js';

/** Every package measured or measuring, whose version the results file records. */
const MEASURED_PACKAGES = ['@sessionware/core', '@sessionware/express', '@sessionware/koa', '@sessionware/redis', 'express', 'express-session',
  'connect-redis', 'redis', 'koa', '@koa/router', '@koa/bodyparser', 'koa-session', 'ioredis', 'jose', 'autocannon', 'tsx'];

const log = (line: string): void => console.log(`[bench] ${line}`);

const config = readConfig();
const startedAt = new Date();
const results: BenchResults = {
  schema: 1, command: 'pnpm bench', startedAt: startedAt.toISOString(), finishedAt: '', config, machine: machineInfo(),
  versions: Object.fromEntries(MEASURED_PACKAGES.map((name) => [name, packageVersion(name)])),
};
log(`${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}`);
log(`settings: ${JSON.stringify(config)}`);

const micro = { runs: config.microRuns, runMs: config.microRunMs };
if (config.parts.includes('micro') || config.parts.includes('http')) {
  results.sourceDigest = sourceDigest();
  log(`our packages: sources ${results.sourceDigest}, run as built by pnpm build`);
  if (config.parts.includes('micro')) {
    // Both runtimes, each in its own process: compiled is what users run, source shows what tsx adds.
    results.micro = { ...micro, compiled: await runMicroInChild(runtimeOf('compiled'), micro), source: await runMicroInChild(runtimeOf('source'), micro) };
  }
  if (config.parts.includes('http')) results.http = await runHttpBenchmark(config, runtimeOf('compiled'), log);
}
results.finishedAt = new Date().toISOString();

let file: string | undefined;
if (results.micro !== undefined || results.http !== undefined) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  file = `${RESULTS_DIR}bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${file}`);
}
if (config.parts.includes('report')) {
  // The report of this run when it measured HTTP, else of the newest full run.
  log(`report: ${writeReport(results.http === undefined ? undefined : file).join(', ')}`);
}
