import { renderCookies } from '../cookie-policy.js';
import { warnInsecureCookie } from '../insecure-cookie-warning.js';
import type { CookieAction, RequestState } from './state.js';

/**
 * Writes `action` through the adapter and forgets the pending action. `issue` writes the live
 * session's cookies (its token must be signed already); without a live session it clears.
 */
export function writeCookies(state: RequestState, action: CookieAction): void {
  state.cookie = 'none';
  if (action === 'none') return;
  const { request } = state;
  const token = state.token;
  if (action === 'issue' && state.id !== null && token !== null) {
    const live = { token, expiresAt: state.expiresAt };
    warnInsecureCookie(state.options.cookie, request.secure, state.options.logger);
    request.setCookies(renderCookies(state.options.cookie, live, request.secure, Date.now()));
  } else if (action === 'clear' || state.id === null) {
    request.setCookies(renderCookies(state.options.cookie, null, request.secure, Date.now()));
  }
}
