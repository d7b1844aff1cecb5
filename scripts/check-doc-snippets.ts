// Type-checks every ```ts block of the repository's markdown (issue 16: docs that compile).
// Usage: pnpm check:docs (about 10-25 s; also run by test/docs/snippets.test.ts inside npm test)
//
// Rules for a ```ts block (the root README, "Documentation snippets", says the same):
// - It is a complete module: it imports what it uses and `declare`s the app's own names
//   (`declare const db: …`, `declare function checkPassword(…): …`). Nothing is wrapped or skipped.
// - Every markdown file git tracks is read; every ```ts / ```typescript block is checked and
//   counted. Code that is not TypeScript is fenced ```js, ```sh or ```text.
// - The options are tsconfig.base.json's (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes,
//   verbatimModuleSyntax, NodeNext, the `sessionware-source` condition), so `@sessionware/*`
//   resolves to the workspace sources, as in the repository's own code.
// - Blocks share one program, each as its own module, except a block that augments a module
//   (`declare module '@sessionware/core'`, `declare global`) or imports a module that does
//   (express-session, koa-session, the example apps; AUGMENTING_MODULES): such a block is checked
//   in a program of its own, since an augmentation is visible to every file of a program.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TS_LANGUAGES = new Set(['ts', 'typescript']);
// Modules that augment types for every file of a program: express-session and koa-session type
// req.session / ctx.session their own way (the migration guides' "before" code); the example apps
// augment SessionData and SessionUser with their own fields.
const AUGMENTING_MODULES = /^(express-session|koa-session|@sessionware\/example-[a-z-]+)$/;

/** One ```ts block: the markdown file (relative to the root), the line of its first code line (1-based), its code. */
export interface Snippet {
  file: string;
  line: number;
  code: string;
}

export interface SnippetReport {
  /** How many blocks were type-checked. */
  checked: number;
  /** How many TypeScript programs that took. */
  programs: number;
  /** `file.md:line: TSxxxx: message`, empty when every block type-checks. */
  diagnostics: string[];
}

/** The markdown files git tracks (so node_modules and untracked scratch files are never read). */
export function markdownFiles(root = ROOT): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((file) => file !== '' && !file.split('/').includes('node_modules'));
}

/** Every fenced block whose info string is `ts` or `typescript`, indentation of list items removed. */
export function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split(/\r?\n/);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', rest = ''] = open;
    if (fence.startsWith('`') && rest.includes('`')) continue; // inline code at a line start (CommonMark)
    const info = rest.trim().split(/\s+/)[0] ?? '';
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] ?? ''); j++) {
      const line = lines[j] ?? '';
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    if (TS_LANGUAGES.has(info.toLowerCase())) snippets.push({ file, line: i + 2, code: body.join('\n') + '\n' });
    i = j;
  }
  return snippets;
}

/** The compiler options of tsconfig.base.json, for files that are checked, never emitted. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // A block without import/export is still a module, so its names and augmentations stay its own.
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
}

/** Whether the block must have a program of its own (see the header). */
function needsOwnProgram(source: ts.SourceFile): boolean {
  return source.statements.some((statement) => {
    if (ts.isModuleDeclaration(statement)) return true; // declare module '…' / declare global
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      return AUGMENTING_MODULES.test(statement.moduleSpecifier.text);
    }
    return false;
  });
}

/** Type-checks the snippets; each is a virtual file under the root, so packages resolve from its node_modules. */
export function checkSnippets(snippets: readonly Snippet[], root = ROOT): SnippetReport {
  const options = compilerOptions(root);
  const virtualDir = join(root, '.doc-snippets');
  const byPath = new Map<string, Snippet>();
  snippets.forEach((snippet, index) => {
    byPath.set(join(virtualDir, `${snippet.file.replace(/[^A-Za-z0-9]+/g, '_')}_${snippet.line}_${index}.ts`), snippet);
  });

  // One host for every program: the lib, @types and workspace files are parsed once.
  const base = ts.createCompilerHost(options, true);
  const cache = new Map<string, ts.SourceFile | undefined>();
  const host: ts.CompilerHost = {
    ...base,
    fileExists: (path) => byPath.has(path) || base.fileExists(path),
    readFile: (path) => byPath.get(path)?.code ?? base.readFile(path),
    getSourceFile: (path, languageVersion, onError) => {
      const snippet = byPath.get(path);
      if (snippet !== undefined) return ts.createSourceFile(path, snippet.code, languageVersion, true);
      if (!cache.has(path)) cache.set(path, base.getSourceFile(path, languageVersion, onError));
      return cache.get(path);
    },
  };

  const shared: string[] = [];
  const alone: string[][] = [];
  for (const [path, snippet] of byPath) {
    const source = ts.createSourceFile(path, snippet.code, options.target ?? ts.ScriptTarget.ES2022, true);
    if (needsOwnProgram(source)) alone.push([path]);
    else shared.push(path);
  }
  // As in an app, @sessionware/core is part of every program, so a block that only augments it resolves.
  const app = join(virtualDir, '_app.ts');
  byPath.set(app, { file: '(checker)', line: 1, code: "import type {} from '@sessionware/core';\n" });
  const groups = [shared, ...alone].filter((group) => group.length > 0).map((group) => [app, ...group]);

  const diagnostics: string[] = [];
  const describe = (diagnostic: ts.Diagnostic): string => {
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')}`;
    const file = diagnostic.file;
    if (file === undefined || diagnostic.start === undefined) return message;
    const snippet = byPath.get(file.fileName);
    const { line } = file.getLineAndCharacterOfPosition(diagnostic.start);
    if (snippet === undefined) return `${relative(root, file.fileName)}:${line + 1}: ${message}`;
    return `${snippet.file}:${snippet.line + line}: ${message}`;
  };
  for (const group of groups) {
    const program = ts.createProgram({ rootNames: group, options, host });
    const found = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    for (const path of group) {
      const source = program.getSourceFile(path);
      if (source === undefined) throw new Error(`${path} is not in its program`);
      found.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
    }
    diagnostics.push(...found.map(describe));
  }
  // An options or global diagnostic comes once per program: report it once.
  return { checked: snippets.length, programs: groups.length, diagnostics: [...new Set(diagnostics)] };
}

/** Every ```ts block of every tracked markdown file, type-checked. */
export function checkDocSnippets(root = ROOT): SnippetReport {
  const snippets = markdownFiles(root).flatMap((file) => extractSnippets(file, readFileSync(join(root, file), 'utf8')));
  return checkSnippets(snippets, root);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const report = checkDocSnippets();
  for (const line of report.diagnostics) console.error(line);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${report.checked} ts blocks checked in ${report.programs} programs, ${report.diagnostics.length} errors (${seconds} s)`);
  if (report.diagnostics.length > 0 || report.checked === 0) process.exitCode = 1;
}
