/**
 * Writes docs/benchmarks.md and docs/benchmarks.svg from a results file (the newest full run
 * in bench/results/, or the path given): every number in them comes from that file. What
 * the numbers led to is written by hand in docs/perf-notes.md.
 *
 *   node --import tsx bench/report/report.ts [results.json]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASELINE, ENDPOINTS, readConfig, TARGETS } from '../config.js';
import { RESULTS_DIR, ROOT, type BenchResults, type MicroCase } from '../results.js';
import { renderChart } from './chart.js';
import { evaluateGoals, summarize, type EndpointSummary, type TargetSummary } from './summary.js';

const DOC = `${ROOT}docs/benchmarks.md`;
const CHART = `${ROOT}docs/benchmarks.svg`;

const ENDPOINT_TITLES: Record<string, string> = {
  whoami: '`GET /whoami`: authenticated, read-only', counter: '`POST /counter`: authenticated, increments a counter in the session', login: '`POST /login`: logs a new user in (no session cookie sent)',
};

/**
 * The results file to report: the newest of a full run (every endpoint and target, a new user
 * per login), else the newest with HTTP results at all. Partial runs made to probe one
 * question (`BENCH_TARGETS=…`, `BENCH_LOGIN_USERS=1`) thus do not replace the report.
 */
function newestResults(): string {
  const withHttp = readdirSync(RESULTS_DIR).filter((name) => /^bench-.*\.json$/.test(name)).sort().reverse()
    .map((name) => ({ file: `${RESULTS_DIR}${name}`, http: (JSON.parse(readFileSync(`${RESULTS_DIR}${name}`, 'utf8')) as BenchResults).http }))
    .filter(({ http }) => http !== undefined);
  const chosen = withHttp.find(({ http }) => http?.endpoints.length === ENDPOINTS.length && http.targets.length === TARGETS.length && http.loginUsers === 0) ?? withHttp[0];
  if (chosen === undefined) throw new Error(`no results file with HTTP results in ${RESULTS_DIR}: run pnpm bench`);
  return chosen.file;
}

const n0 = (value: number): string => Math.round(value).toLocaleString('en-US');
const n1 = (value: number): string => value.toFixed(1);
const n2 = (value: number): string => value.toFixed(2);
const ratio = (target: TargetSummary, which: 'appCpuRatio' | 'reqPerSecRatio'): string =>
  target.target.id === BASELINE ? '1' : `${n2(target[which].median)} (${n2(target[which].min)}–${n2(target[which].max)})`;

/** A markdown table: the header and alignment rows as given, then a row of each item's cells. */
const table = (head: string, align: string, rows: ReadonlyArray<readonly unknown[]>): string => [head, align, ...rows.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');

const endpointTable = (endpoint: EndpointSummary): string => `### ${ENDPOINT_TITLES[endpoint.endpoint] ?? endpoint.endpoint}\n\n${table(
  '| Target | req/s | × floor (range) | p50 ms | p99 ms | app CPU µs/req | × floor (range) | Redis round trips/req | Redis commands/req (INFO commandstats) | Redis CPU µs/req | failed |',
  '|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|',
  endpoint.targets.map((target) => {
    const commands = Object.entries(target.redisCallsByCommand).filter(([, calls]) => calls >= 0.005);
    const breakdown = commands.length === 0 ? '0' : `${n2(target.redisCallsPerReq)}: ${commands.map(([name, calls]) => `${name} ${n2(calls)}`).join(', ')}`;
    return [target.target.label, n0(target.reqPerSec), ratio(target, 'reqPerSecRatio'), n2(target.latencyP50Ms), n2(target.latencyP99Ms),
      n1(target.appCpuUsPerReq), ratio(target, 'appCpuRatio'), n2(target.redisSentPerReq), breakdown, n1(target.redisCpuUsPerReq), target.failures];
  }),
)}`;

const us = (ns: number): string => n2(ns / 1000);
const microTable = (compiled: readonly MicroCase[], source: readonly MicroCase[]): string => table(
  '| Case | compiled, µs/op | runs (min–max) | TypeScript source through tsx, µs/op |', '|---|--:|--:|--:|',
  compiled.map((entry) => {
    const other = source.find((candidate) => candidate.id === entry.id);
    return [entry.label, us(entry.nsPerOp), `${us(Math.min(...entry.runsNsPerOp))}–${us(Math.max(...entry.runsNsPerOp))}`, other === undefined ? '–' : us(other.nsPerOp)];
  }),
);

/** The markdown of docs/benchmarks.md for `results`: blocks (paragraphs, lists, tables) separated by blank lines. */
export function renderDoc(results: BenchResults, resultsPath: string): string {
  const { http, machine, config, micro } = results;
  const summary = summarize(results);
  const minutes = (Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 60_000;
  const settings = `BENCH_ROUNDS=${config.rounds} BENCH_DURATION=${config.durationSeconds} BENCH_WARMUP=${config.warmupSeconds} BENCH_CONNECTIONS=${config.connections} BENCH_LOGIN_USERS=${config.loginUsers}`;
  const defaults = JSON.stringify(readConfig({})) === JSON.stringify(config);
  const lines = (...items: string[]): string => items.join('\n');
  const out: string[] = [
    '# Benchmarks',
    '<!-- Generated by bench/report/report.ts from the results file named below; edit bench/report/, not this file. -->',
    'sessionware next to express-session + connect-redis and koa-session, on Redis, under the same load, on the same machine. The machine is shared and noisy, so absolute numbers alone mean little: every target runs once per round, rounds are repeated, and each target is compared with the floor measured in the same round. CPU time per request, read from `/proc`, is the steadier figure; req/s moves with everything else on the machine.',
    `This run: ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${n1(minutes)} minutes, results in \`${relative(ROOT, resultsPath)}\`, our packages' sources at digest \`${results.sourceDigest ?? 'unknown'}\` (sha256 of \`packages/{core,express,koa,redis}/src\`), ${http?.runtime === 'source' ? 'run from TypeScript source through tsx' : 'compiled to JavaScript'}.`,
    '![Benchmark chart: app CPU per request and requests per second per target and endpoint](benchmarks.svg)',
    '## Running them',
    lines('```sh', 'pnpm bench', '```'),
    `${defaults ? `Exactly this command, with the defaults (\`${settings}\`),` : `This command with \`${settings}\` (not the defaults)`} produced the numbers below (it installs \`redis-server\` first when missing, with \`scripts/setup.mjs redis\`, and builds our packages with \`pnpm build\`). It takes about 8 minutes on 2 cores and runs, in order:`,
    lines(
      '1. the micro-benchmarks of the per-request core path, each in its own process, once on our compiled packages and once on the TypeScript sources through tsx;',
      '2. the HTTP benchmark: a fresh `redis-server` on a free loopback port, every target in its own process, each endpoint in interleaved rounds;',
      '3. the report: this file and `docs/benchmarks.svg`, from the results file it just wrote to `bench/results/` (ignored by git: the file this report cites is committed with it, `git add -f`).',
    ),
    'Benchmarks are not part of `npm test`: timing goals are checked here, never in tests.',
    lines(
      '| Variable | Default | What it sets |',
      '|---|---|---|',
      '| `BENCH_ROUNDS` | 6 | Interleaved rounds per endpoint; each round runs every target once. |',
      '| `BENCH_DURATION` | 3 | Seconds of load per target per round. |',
      '| `BENCH_WARMUP` | 2 | Seconds of unmeasured load per target and endpoint before the rounds (0: none). |',
      '| `BENCH_CONNECTIONS` | 16 | Concurrent keep-alive connections, no pipelining. |',
      '| `BENCH_ENDPOINTS` | `whoami,counter,login` | Which endpoints. |',
      '| `BENCH_TARGETS` | all | Which targets (the floor always runs: it is the baseline). |',
      '| `BENCH_LOGIN_USERS` | 0 | 0: every login is a new user. N: logins cycle over N users, so each collects sessions. |',
      '| `BENCH_PARTS` | `micro,http,report` | Which parts run: `BENCH_PARTS=micro pnpm bench` runs only the micro-benchmarks (about 40 s); `BENCH_PARTS=report` only rewrites this file from the newest full run\'s results. |',
      '| `BENCH_MICRO_RUNS`, `BENCH_MICRO_RUN_MS` | 7, 250 | Timed runs per micro-benchmark and the length of each. |',
    ),
    'To profile a target under the same load: `pnpm build && node --import tsx bench/profile/profile.ts sessionware-express whoami 10` (target, endpoint, seconds). It runs the target with `node --cpu-prof`, prints the 15 functions with the most self time in µs per request and the shares of our files, dependencies and Node internals, and names the `.cpuprofile` it wrote, for Chrome DevTools.',
    '## Machine and versions',
    table('| | |', '|---|---|', [
      ['CPU', `${machine.cpuModel} (\`/proc/cpuinfo\`), ${machine.cores} cores`], ['Memory', `${machine.memoryGiB} GiB`], ['Kernel', `Linux ${machine.kernel}`],
      ['Node.js', machine.node], ['Redis', machine.redisServer], ['Load average at start', machine.loadAverageAtStart.join(', ')],
    ]),
    ...(http === undefined ? [] : [table('| Target | Packages |', '|---|---|',
      http.targets.map((target) => [target.label, Object.entries(target.packages).map(([name, version]) => `${name} ${version}`).join(', ')]))]),
    `Measuring: ${['autocannon', 'tsx'].map((name) => `${name} ${results.versions[name] ?? '?'}`).join(', ')}.`,
    '## Method',
    lines(
      '- **Targets.** Each is a small app in `bench/apps/`, answering the same three routes with the same bodies, in its own Node process with `NODE_ENV=production`:',
      '  - *floor*: Express 5 and one Redis `GET` per authenticated request (ioredis), a bare random id as cookie, no session library, no signature: the least any session middleware does;',
      '  - *express-session + connect-redis* (connect-redis 9 on node-redis, the client it is written for; connect-redis 10 needs Node 22), `resave: false`, `saveUninitialized: false`, login by `regenerate()` then `save()`, as their READMEs show;',
      '  - *sessionware Express* and *sessionware Koa*: `session({ store: redisStore(client), secrets, loadUser })`, otherwise defaults; login is `session.login(userId)`, `/whoami` reads `session.user`;',
      '  - *koa-session* 7 with its defaults (signed cookies, `rolling: false`) and a minimal external store of 15 lines on ioredis (`bench/apps/koa-session-store.ts`: GET, SET with PX, DEL), written here because the one maintained-looking store, koa-redis, last released 4.0.1 on ioredis 4; login assigns the user to the new session (koa-session documents no regenerate);',
      '  - the same two sessionware apps on the embedded `MemoryStore`.',
      '- **What each does per request** differs, and the Redis columns show it: sessionware verifies a signed cookie (from a cache after the first time, SPEC K5), slides the idle deadline within the absolute one and reads the user\'s change version in one Lua script; express-session verifies its signature, GETs and then touches (EXPIRE); koa-session verifies its signature and GETs, and never moves the expiry.',
      '- **Our packages run compiled.** `pnpm bench` runs `pnpm build` first, and the targets load `packages/*/dist` through the packages\' default export condition: what users run from npm, built from the sources as they are. Running the sources through tsx, as the tests do, would measure tsx as well: it compiles with esbuild\'s `keepNames`, which wraps every function and class in a `__name()` call that redefines `name` each time a closure is created; the micro-benchmarks below show the cost.',
      `- **Load.** autocannon ${results.versions['autocannon'] ?? ''} in the harness process, on 127.0.0.1, ${config.connections} keep-alive connections, no pipelining, ${config.durationSeconds} s per run. Each target logs in once per endpoint (its cookie is then sent with every request) and gets ${config.warmupSeconds} s of unmeasured warm-up. Login requests carry a new username each time (\`BENCH_LOGIN_USERS=0\`).`,
      `- **Interleaving.** For each endpoint, ${config.rounds} rounds; a round runs every target once, in the order of the tables (A B C … A B C …).`,
      '- **CPU per request** is the app process\'s user + system time (`/proc/<pid>/stat` fields 14 and 15, all threads, GC included) over the run, divided by the responses; the same for `redis-server`.',
      '- **Redis round trips per request** are counted in each app\'s Redis client (every command it sends; a Lua script is one). **Redis commands per request** are the `INFO commandstats` deltas around the run, divided by the responses: they also count the commands a script runs inside Redis (`evalsha` plus its inner `hgetall`, `hset`, …).',
      '- **Latency** p50 and p99 of every response, from autocannon\'s per-response timings (fractional milliseconds).',
      '- **Correctness.** Every response must be 2xx with the expected body (the user, the counter, the new user); any non-2xx, error, timeout or wrong body stops the benchmark with the target\'s output. The *failed* column is therefore always 0.',
      '- **Reported:** the median over rounds of each figure, and for ratios the median (and range) over rounds of *target ÷ floor in the same round*.',
    ),
    '## Results',
    ...summary.map(endpointTable),
    '## Goals',
    'From issue 6, for an authenticated `GET /whoami` on Redis with 16 connections, ratios measured in this one interleaved run:',
    table('| Goal | Measured | |', '|---|---|---|',
      evaluateGoals(results, summary).map((goal) => [goal.text, goal.measured, goal.met === undefined ? 'not measured' : goal.met ? '**met**' : '**missed**'])),
    'These verdicts are this one run\'s medians. On this shared machine a ratio near its goal can land on either side of it from one run to the next: see [perf-notes.md](perf-notes.md) for the other runs and for instruction counts, which move far less.',
  ];
  const whoami = summary.find((entry) => entry.endpoint === 'whoami')?.targets;
  const expressSession = whoami?.find((entry) => entry.target.id === 'express-session');
  const koaSession = whoami?.find((entry) => entry.target.id === 'koa-session');
  if (expressSession !== undefined && koaSession !== undefined) {
    out.push(`For reference, the issue measured express-session + connect-redis at 1.5–1.9× the floor's CPU per request and 0.52–0.71× its req/s, and koa-session + a Redis store at 0.61–0.71× the floor's CPU. Here: express-session ${n2(expressSession.appCpuRatio.median)}× CPU and ${n2(expressSession.reqPerSecRatio.median)}× req/s, koa-session ${n2(koaSession.appCpuRatio.median)}× CPU.`);
  }
  if (micro !== undefined) {
    const [jose, hmac, cached, uncached] = ['jose-verify', 'hmac-verify', 'open-cache', 'open-nocache'].map((id) => (micro.compiled.find((entry) => entry.id === id)?.nsPerOp ?? Number.NaN) / 1000) as [number, number, number, number];
    out.push(
      '## Micro-benchmarks',
      `The per-request core path without HTTP or network (\`bench/micro/micro.ts\`): an engine from \`createSessionEngine()\` on a \`MemoryStore\`, a session logged in as the HTTP targets do, one operation awaited at a time. Each case: a warm-up that calibrates the iteration count, then ${micro.runs} timed runs of about ${micro.runMs} ms; the median is reported.`,
      microTable(micro.compiled, micro.source),
      `SPEC K5: jose's HS256 verify costs ${n1(jose)} µs here, a plain HMAC check ${n1(hmac)} µs. With the verify cache (the default) \`engine.open()\` of a returning cookie takes ${n1(cached)} µs, without it ${n1(uncached)} µs: the cache saves ${n1(uncached - cached)} µs a request.`,
    );
  }
  return `${out.join('\n\n')}\n`;
}

/** Writes docs/benchmarks.md and docs/benchmarks.svg from `file` (default: see {@link newestResults}). */
export function writeReport(file: string = newestResults()): string[] {
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  const summary = summarize(results);
  const { machine, config } = results;
  const caption = `${results.startedAt.slice(0, 10)} · ${machine.cpuModel}, ${machine.cores} cores · Node ${machine.node} · ` +
    `${config.rounds} rounds × ${config.durationSeconds} s · ${config.connections} connections · ${relative(ROOT, file)}`;
  writeFileSync(CHART, renderChart(summary, caption));
  writeFileSync(DOC, renderDoc(results, file));
  return [relative(ROOT, DOC), relative(ROOT, CHART)];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`[bench] report: ${writeReport(process.argv[2]).join(', ')}`);
}
