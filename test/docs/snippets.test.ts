// Issue 16, docs that compile: every ```ts block of the tracked markdown type-checks
// (scripts/check-doc-snippets.ts, also `pnpm check:docs`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { checkDocSnippets, checkSnippets, extractSnippets, markdownFiles } from '../../scripts/check-doc-snippets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('documentation snippets (issue 16)', function () {
  this.timeout(180_000);

  it('issue 16: every ts block of the tracked markdown (READMEs and docs) type-checks', () => {
    const report = checkDocSnippets();
    expect(report.diagnostics).to.deep.equal([]);
    // Counted apart from the extractor: an opening fence it missed would be a block never checked.
    const fences = markdownFiles().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8').split('\n').filter((line) => /^\s*```(ts|typescript)\s*$/i.test(line)),
    );
    expect(fences.length).to.be.greaterThan(0);
    expect(report.checked).to.equal(fences.length);
  });

  it('reports a broken block as file.md:line with strict settings, and keeps each augmentation to its block', () => {
    const doc = [
      '# Broken',
      '',
      '```ts',
      "import { session } from '@sessionware/koa';",
      'declare function find(): Promise<{ id: string } | null>;',
      'session({ secrets: undefined }).logoutRouter();',
      'const user = await find();',
      'export const id: string = user.id;', // line 8: user is possibly null
      '```',
      '',
      '- in a list',
      '',
      '  ```ts',
      "  declare module '@sessionware/core' { interface SessionData { cart: string[] } }",
      '  ```',
      '',
      '```ts',
      "declare module '@sessionware/core' { interface SessionData { cart: number } }",
      '```',
      '',
      '```sh',
      'not typescript',
      '```',
      '```` ```ts ```` at a line start is inline code, not a fence',
    ].join('\n');
    const report = checkSnippets(extractSnippets('broken.md', doc));
    expect(report.checked).to.equal(3);
    expect(report.diagnostics).to.deep.equal(["broken.md:8: TS18047: 'user' is possibly 'null'."]);
  });
});
