// `pnpm reliability`: the reliability suite (test/reliability) at a larger RELIABILITY_SCALE,
// with its figures written into docs/reliability.md between the figures markers.
// Usage: pnpm reliability            (RELIABILITY_SCALE=15, under 10 minutes on 2 cores)
//        RELIABILITY_SCALE=3 pnpm reliability
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const ROOT = new URL('../', import.meta.url).pathname;
const DOC = join(ROOT, 'docs/reliability.md');
const START = '<!-- reliability:figures:start -->';
const END = '<!-- reliability:figures:end -->';
const DEFAULT_SCALE = '15';
const scale = process.env['RELIABILITY_SCALE'] ?? DEFAULT_SCALE;
const command = process.env['RELIABILITY_SCALE'] === undefined ? `pnpm reliability\` (RELIABILITY_SCALE=${scale}, its default)` : `RELIABILITY_SCALE=${scale} pnpm reliability\``;

interface Figures { kind: 'figures'; part: string; subject: string; figures: Record<string, number | string> }
interface Outcome { kind: 'outcome'; title: string; state: string; durationMs: number; error?: string }

async function runSuite(figuresFile: string): Promise<number> {
  const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
  const args = [mocha, '--no-config', '--node-option', 'conditions=sessionware-source', '--node-option', 'import=tsx',
    '--extension', 'ts', '--timeout', '600000', '--reporter', 'spec', 'test/reliability/**/*.test.ts'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, RELIABILITY_SCALE: scale, RELIABILITY_FIGURES: figuresFile } });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

const cell = (value: unknown) => String(value ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

/** One table per part: a row per figure, a column per subject (or a row per subject when there are many). */
function table(entries: Figures[]): string {
  const subjects = entries.map((e) => e.subject);
  const keys = [...new Set(entries.flatMap((e) => Object.keys(e.figures)))];
  if (subjects.length <= 4) {
    const head = `| | ${subjects.map(cell).join(' | ')} |\n|---|${subjects.map(() => '---').join('|')}|`;
    return [head, ...keys.map((key) => `| ${cell(key)} | ${entries.map((e) => cell(e.figures[key])).join(' | ')} |`)].join('\n');
  }
  const head = `| | ${keys.map(cell).join(' | ')} |\n|---|${keys.map(() => '---').join('|')}|`;
  return [head, ...entries.map((e) => `| ${cell(e.subject)} | ${keys.map((key) => cell(e.figures[key])).join(' | ')} |`)].join('\n');
}

function render(lines: Array<Figures | Outcome>, code: number, seconds: number): string {
  const outcomes = lines.filter((l): l is Outcome => l.kind === 'outcome');
  const figures = lines.filter((l): l is Figures => l.kind === 'figures');
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  const failed = outcomes.filter((o) => o.state === 'failed');
  const parts = [...new Set(figures.map((f) => f.part))];
  return [
    START,
    '## Figures of the last run',
    '',
    `Command: \`${command}, on ${new Date().toISOString().slice(0, 10)},`,
    `Node ${process.version}, ${cpus().length} cores; ${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s in all; mocha exit code ${code};`,
    `${passed} tests passed, ${failed.length} failed.`,
    '',
    ...parts.flatMap((part) => [`### ${part}`, '', table(figures.filter((f) => f.part === part)), '']),
    '### Failures',
    '',
    ...(failed.length === 0 ? ['None.', ''] : failed.flatMap((o) => [`- **${o.title}**`, '', '  ```text', ...(o.error ?? '').split('\n').map((l) => `  ${l}`), '  ```', ''])),
    END,
  ].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'sessionware-reliability-'));
const figuresFile = join(dir, 'figures.jsonl');
writeFileSync(figuresFile, '');
const started = performance.now();
const code = await runSuite(figuresFile);
const seconds = (performance.now() - started) / 1000;
const lines = readFileSync(figuresFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Figures | Outcome);
rmSync(dir, { recursive: true, force: true });
const doc = readFileSync(DOC, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) throw new Error(`${DOC} lacks the figures markers ${START} … ${END}`);
writeFileSync(DOC, doc.slice(0, from) + render(lines, code, seconds) + doc.slice(to + END.length));
console.log(`reliability: figures written to docs/reliability.md (${Math.round(seconds)} s, exit code ${code})`);
process.exitCode = code;
