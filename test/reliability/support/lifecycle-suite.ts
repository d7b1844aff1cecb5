import fc from 'fast-check';
import { memoryBackend, type StoreBackend } from '../../adapters/backend.js';
import { expressTarget } from '../../adapters/express-target.js';
import { koaTarget } from '../../adapters/koa-target.js';
import { redisBackend } from '../../adapters/redis-backend.js';
import type { AdapterTarget } from '../../adapters/target.js';
import { recordFigures, trackOutcomes } from './figures.js';
import type { Choice } from './interleaving.js';
import { startLifecycleApp, type BatchReport, type LifecycleApp } from './lifecycle-app.js';
import { checkNoHangNo5xx, type Command } from './lifecycle-model.js';
import { fcOptions } from './scale.js';

/** One model-based property: its title (with SPEC ids), the batches it draws, its invariant, its runs. */
export interface LifecycleProperty {
  /** Short name for the figures, e.g. `(i) T4, T8: different keys`. */
  id: string;
  title: string;
  scenarios: fc.Arbitrary<{ loggedIn: boolean; commands: Command[]; choices: Choice[] }>;
  check(report: BatchReport): string[];
  runs: number;
}

const describeReport = (report: BatchReport) => [
  'answers:', ...report.outcomes.map((o) => `  ${o.name}: ${o.status} ${JSON.stringify(o.json)}${o.cleared ? ' (clears the session cookie)' : ''}${o.issued === undefined ? '' : ' (new session cookie)'}`),
  'store calls, in the order they ran:', ...report.trace.map((line) => `  ${line}`),
  `old cookie reads back: ${JSON.stringify(report.old)}`,
  ...[...report.issued].map(([name, read]) => `cookie issued to ${name} reads back: ${JSON.stringify(read)}`),
].join('\n');

/**
 * Runs each property on both adapters and both stores (MemoryStore and a real Redis): every
 * run is one batch of concurrent requests on one session under a forced interleaving, checked
 * against the model; (v) — no hang, no 5xx but an injected fault's 503 — is checked always.
 */
export function describeLifecycle(concern: string, properties: LifecycleProperty[]): void {
  const targets: AdapterTarget[] = [expressTarget, koaTarget];
  const backends: StoreBackend[] = [memoryBackend, redisBackend];
  for (const target of targets) {
    for (const backend of backends) {
      describe(`reliability: ${concern}, ${target.name} on ${backend.name}`, function () {
        this.timeout(300_000);
        backend.hooks?.();
        trackOutcomes();
        let app: LifecycleApp | undefined;
        before(async () => {
          app = await startLifecycleApp(target, await backend.create());
        });
        after(async () => {
          await app?.close();
        });
        for (const property of properties) {
          it(property.title, async () => {
            let batches = 0;
            let requests = 0;
            let steps = 0;
            let faults = 0;
            const started = performance.now();
            const details = await fc.check(fc.asyncProperty(property.scenarios, async ({ loggedIn, commands, choices }) => {
              const report = await app!.run(loggedIn, commands, choices);
              batches += 1;
              requests += commands.length;
              steps += report.trace.length;
              faults += report.trace.filter((line) => line.includes('injected fault')).length;
              const violations = [...checkNoHangNo5xx(report), ...property.check(report)];
              if (violations.length > 0) throw new Error(`${violations.join('\n')}\n${describeReport(report)}`);
            }), fcOptions(property.runs));
            recordFigures(`lifecycle model ${property.id}`, `${target.name} on ${backend.name}`, {
              'batches run (shrinking included)': batches, 'concurrent requests': requests, 'store calls interleaved': steps, 'store faults injected': faults,
              result: details.failed ? `counterexample after ${details.numRuns} runs, shrunk ${details.numShrinks} times` : `held in ${details.numRuns} runs`,
              seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
            });
            if (details.failed) {
              const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
              throw new Error(`${fc.defaultReportMessage(details)}\nThe shrunk counterexample's violations:\n${cause}`);
            }
          });
        }
      });
    }
  }
}
