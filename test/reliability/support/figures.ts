import { appendFileSync } from 'node:fs';

/**
 * Figures of a reliability run, appended as JSON lines to the file named by
 * `RELIABILITY_FIGURES` (set by `pnpm reliability`, which renders them into
 * docs/reliability.md). Without it, recording is a no-op, as inside `npm test`.
 */
const FILE = process.env['RELIABILITY_FIGURES'];

export type Figures = Record<string, number | string>;

/** One line of figures for `part` (e.g. "cookie fuzz") and `subject` (e.g. "express example"). */
export function recordFigures(part: string, subject: string, figures: Figures): void {
  if (FILE === undefined || FILE === '') return;
  appendFileSync(FILE, `${JSON.stringify({ kind: 'figures', part, subject, figures })}\n`);
}

/** Records each test's outcome (title, state, duration, first line of a failure) in the calling describe. */
export function trackOutcomes(): void {
  if (FILE === undefined || FILE === '') return;
  afterEach(function () {
    const test = this.currentTest;
    if (test === undefined) return;
    const error = (test as { err?: Error }).err;
    appendFileSync(FILE, `${JSON.stringify({
      kind: 'outcome',
      title: test.fullTitle(),
      state: test.state ?? 'unknown',
      durationMs: test.duration ?? 0,
      ...(error === undefined ? {} : { error: error.message.split('\n').slice(0, 40).join('\n') }),
    })}\n`);
  });
}
