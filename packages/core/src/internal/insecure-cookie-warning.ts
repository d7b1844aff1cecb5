import type { ResolvedCookie } from './cookie-options.js';

/** The loggers warned already: one warning per process with the default `console` (SPEC O3). */
const warned = new WeakSet<object>();

/**
 * Warns once per logger when a cookie that browsers accept only with Secure (`__Host-` /
 * `__Secure-`, SameSite=None, `secure: true`) goes out on a plain-HTTP request: the browser
 * drops it and the login "does nothing". Cheap on the hot path: one boolean when it does not apply.
 */
export function warnInsecureCookie(cookie: ResolvedCookie, secureRequest: boolean, logger: { warn(message: string): void }): void {
  if (secureRequest || !cookie.needsSecure || warned.has(logger)) return;
  warned.add(logger);
  const why = cookie.name.startsWith('__Host-') || cookie.name.startsWith('__Secure-')
    ? `its name ${cookie.name} requires Secure`
    : cookie.sameSite === 'none' ? 'SameSite=None requires Secure' : 'option cookie.secure is true';
  logger.warn(
    `sessionware: the session cookie was set on a plain-HTTP request, but ${why}: browsers drop ` +
      "Secure cookies set over http://, so logins will not stick. Serve HTTPS, or, behind a TLS-terminating proxy, " +
      "let the framework see it: Express app.set('trust proxy', …), Koa app.proxy = true.",
  );
}
