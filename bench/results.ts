/**
 * The results file: everything one `pnpm bench` run measured, raw (every run of every
 * round), plus the machine and package versions. `bench/report/report.ts` derives every
 * number of docs/benchmarks.md and the chart from it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchConfig, TargetId } from './config.js';
import type { HttpResults } from './http/harness.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where runs write their results; ignored by git but for the file docs/benchmarks.md cites. */
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface TargetResultInfo {
  id: TargetId;
  label: string;
  framework: 'express' | 'koa';
  store: 'redis' | 'memory';
  /** Name → version of the packages the target is made of. */
  packages: Record<string, string>;
}

/** The HTTP records, typed as the harness builds them. */
export type { HttpResults, HttpRun } from './http/harness.js';
export type MachineInfo = ReturnType<typeof machineInfo>;

/** One micro-benchmark: the median over the timed runs and every run, nanoseconds per operation. */
export interface MicroCase {
  id: string;
  label: string;
  nsPerOp: number;
  runsNsPerOp: number[];
  iterationsPerRun: number;
}

export interface BenchResults {
  schema: 1;
  command: string;
  startedAt: string;
  finishedAt: string;
  config: BenchConfig;
  machine: MachineInfo;
  /** sha256 (12 hex digits) of our packages' sources when the run started: which code was measured. */
  sourceDigest?: string;
  /** Versions of every package measured or measuring. */
  versions: Record<string, string>;
  /** The same cases on our built packages (as users run them) and on the TypeScript sources through tsx (as the tests do). */
  micro?: { runs: number; runMs: number; compiled: MicroCase[]; source: MicroCase[] };
  http?: HttpResults;
}

/** The version of an installed package, read from the root node_modules. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Facts about this machine, read now. */
export function machineInfo() {
  let redisServer = 'unknown'; // when missing: the HTTP part then fails on its own
  try {
    redisServer = execFileSync('/usr/bin/redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch { /* unknown */ }
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    /** Logical CPUs the process may use. */
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    redisServer,
    /** 1, 5 and 15 minute load averages when the run started. */
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
