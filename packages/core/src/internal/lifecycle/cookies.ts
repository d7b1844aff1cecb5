import { renderCookies } from '../cookie-policy.js';
import { warnInsecureCookie } from '../insecure-cookie-warning.js';
import { clearingLegacyCookies } from './migrate.js';
import type { CookieAction, RequestState } from './state.js';

/**
 * Writes `action` through the adapter and forgets the pending action. `issue` writes the live
 * session's cookies (its token must be signed already); without a live session it clears.
 * The old library's cookies (`migrateFrom`) are cleared with them when the open asked for it.
 */
export function writeCookies(state: RequestState, action: CookieAction): void {
  state.cookie = 'none';
  if (action === 'none' && state.legacyCookies !== 'clear') return;
  const values = action === 'none' ? [] : sessionCookies(state, action);
  const reader = state.options.migrateFrom;
  if (state.legacyCookies === 'clear' && reader !== undefined) {
    // Once per request: the adapter keeps Set-Cookie values of other names when ours change again.
    state.legacyCookies = 'cleared';
    values.push(...clearingLegacyCookies(reader, state.request.secure));
  }
  if (values.length > 0) state.request.setCookies(values);
}

function sessionCookies(state: RequestState, action: Exclude<CookieAction, 'none'>): string[] {
  const { request } = state;
  const token = state.token;
  if (action === 'issue' && state.id !== null && token !== null) {
    const live = { token, expiresAt: state.expiresAt, expiry: state.expiry() };
    warnInsecureCookie(state.options.cookie, request.secure, state.options.logger);
    return renderCookies(state.options.cookie, live, request.secure, Date.now());
  }
  if (action === 'clear' || state.id === null) return renderCookies(state.options.cookie, null, request.secure, Date.now());
  return [];
}
