/**
 * Your session data. Augment it to type `req.session` / `ctx.session`:
 *
 * ```ts
 * declare module '@sessionware/core' {
 *   interface SessionData { userId: string; cart: string[] }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionData {}

/** The methods every session object has besides its data keys. Their names are reserved. */
export interface SessionMethods {
  /**
   * Login: the session gets a new id when this request commits, its data carried over, and
   * the old id is destroyed in the same atomic store step (SPEC T6). Call it whenever the
   * privilege level changes. Also creates the session when it is new and empty.
   */
  regenerate(): void;
  /**
   * Ends the session: the record is destroyed and both cookies cleared when the request
   * commits. Keys set afterwards start a new session.
   */
  destroy(): void;
  /**
   * Stores pending changes now instead of before the response headers, e.g. before a
   * streamed response. Rejects with `SessionStoreError` when the store fails.
   */
  save(): Promise<void>;
}

/**
 * The session object of one request: data keys as plain properties
 * (`session.cart = …`, `delete session.cart`) plus {@link SessionMethods}. Values must be
 * JSON-serialisable. Only changed keys are written (SPEC T4), nested changes included.
 */
export type Session = SessionMethods & Partial<SessionData> & { [key: string]: unknown };

/** Names that cannot be used as session data keys. */
export const RESERVED_SESSION_KEYS: ReadonlySet<string> = new Set(['regenerate', 'destroy', 'save', '__proto__']);
