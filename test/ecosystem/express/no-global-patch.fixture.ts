/**
 * Run as its own process by no-global-patch.test.ts (SPEC R2): captures Node's and both
 * Expresses' response methods before sessionware is imported, serves requests on apps with
 * and without sessions, and prints what changed as one JSON line.
 */
import { createServer, OutgoingMessage, ServerResponse, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Response } from 'express';

const require = createRequire(import.meta.url);
const express4 = require('express4') as typeof express;

const SECRET = 'no-global-patch-fixture-secret-9d2e7a1c4b6f8e0a3c5d7f9b1e2a4c6d';
const METHODS = ['writeHead', 'write', 'end', 'flushHeaders', 'setHeader', 'getHeader', 'removeHeader', 'hasHeader', 'writeContinue', 'addTrailers'] as const;

/** Every own property of `target` (descriptor values and accessors), by name. */
function snapshot(target: object): Map<string | symbol, unknown> {
  const own = new Map<string | symbol, unknown>();
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    own.set(key, d === undefined ? undefined : 'value' in d ? d.value : [d.get, d.set]);
  }
  return own;
}

function changes(name: string, before: Map<string | symbol, unknown>, target: object): string[] {
  const after = snapshot(target);
  const changed: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    const same = Array.isArray(a) && Array.isArray(b) ? a[0] === b[0] && a[1] === b[1] : a === b;
    if (!same || before.has(key) !== after.has(key)) changed.push(`${name}.${String(key)}`);
  }
  return changed;
}

const targets = { 'ServerResponse.prototype': ServerResponse.prototype, 'OutgoingMessage.prototype': OutgoingMessage.prototype, 'express5.response': express.response, 'express4.response': express4.response };
const before = Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, snapshot(target)]));
/** What a response of each Express resolves the methods to, before sessionware. */
const resolved = (response: object) => Object.fromEntries(METHODS.map((m) => [m, (response as Record<string, unknown>)[m]]));
const expected = { express5: resolved(express.response), express4: resolved(express4.response) };

async function serve(app: Express, requests: Array<{ method: string; path: string }>): Promise<void> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let cookie = '';
  for (const { method, path } of requests) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: cookie === '' ? {} : { cookie } });
    await response.text();
    const set = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    if (set.length > 0) cookie = set.join('; ');
    if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}`);
  }
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Problems seen from inside a plain app's handler: methods that are not what they were before. */
const plainProblems: string[] = [];
function plainApp(x: typeof express, label: 'express5' | 'express4'): Express {
  const app = x();
  app.get('/plain', (_req, res: Response) => {
    for (const m of METHODS) {
      if (Object.hasOwn(res, m)) plainProblems.push(`${label}: res has an own ${m}`);
      if ((res as unknown as Record<string, unknown>)[m] !== expected[label][m]) plainProblems.push(`${label}: res.${m} is not the original`);
    }
    res.write('plain ');
    res.end('answer');
  });
  return app;
}

const { session } = await import('@sessionware/express');
for (const [x, label] of [[express, 'express5'], [express4, 'express4']] as const) {
  const app = x();
  app.use(session({ secrets: SECRET }));
  app.post('/write', (req, res) => {
    req.session['n'] = 1;
    res.write('a');
    res.end('b');
  });
  app.get('/read', (req, res) => {
    res.json({ n: req.session['n'] ?? null });
  });
  await serve(app, [{ method: 'POST', path: '/write' }, { method: 'GET', path: '/read' }]);
  await serve(plainApp(x, label), [{ method: 'GET', path: '/plain' }]);
}

const changed = Object.entries(targets).flatMap(([name, target]) => changes(name, before[name] ?? new Map(), target));
process.stdout.write(`${JSON.stringify({ changed, plainProblems })}\n`);
