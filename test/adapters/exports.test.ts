// An app imports everything it catches or configures from its adapter alone: every error class
// the SPEC names (F1 SessionStoreError, F4 SessionHookError, T8 SessionConflictError, O1/K3
// SessionConfigError, O2/T10 SessionDataError, P3 SessionFreshnessError, P4 SessionLimitError) is the core's own class, re-exported.
import { expect } from 'chai';
import * as core from '@sessionware/core';
import * as express from '@sessionware/express';
import * as koa from '@sessionware/koa';

const SHARED = [
  'SessionError', 'SessionConfigError', 'SessionConflictError', 'SessionDataError', 'SessionHookError', 'SessionStoreError',
  'SessionFreshnessError', 'SessionLimitError',
  'MemoryStore', 'userSessions', 'fromExpressSession', 'fromKoaSession',
] as const;

describe('adapter exports: what an app needs besides session()', () => {
  for (const [name, adapter] of [['@sessionware/express', express], ['@sessionware/koa', koa]] as const) {
    it(`F1, F4, T8, O1: ${name} re-exports every error class and helper as the core's own`, () => {
      for (const key of SHARED) expect((adapter as Record<string, unknown>)[key], key).to.equal((core as Record<string, unknown>)[key]);
    });
  }
});
