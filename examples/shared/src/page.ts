import { durationMs } from './env-values.js';

/** The engine's idle timeout when the option is unset (12 h). */
const DEFAULT_IDLE_TIMEOUT_MS = 12 * 3_600_000;

/**
 * When the page warns of an idle logout: in the last minute of the idle time, or in its last
 * third when the idle timeout is shorter than three minutes (a 3 s timeout warns in the last 1 s).
 */
export function idleWarningMs(idleTimeout: number | string | undefined): number {
  const idle = idleTimeout === undefined ? DEFAULT_IDLE_TIMEOUT_MS : durationMs(idleTimeout);
  return Math.min(60_000, Math.floor((Number.isNaN(idle) ? DEFAULT_IDLE_TIMEOUT_MS : idle) / 3));
}

/** What {@link renderPage} needs. */
export interface PageOptions {
  framework: string;
  indicatorCookie: string | false;
  /** Time left to the idle deadline below which the page shows its warning ({@link idleWarningMs}). */
  idleWarningMs: number;
}

/**
 * The example apps' `GET /` page: a login form with "remember me", a who-am-I panel, the
 * user's sessions with a revoke button each, logout and "log out everywhere" buttons, and a
 * warning before an idle logout. Its script decides "logged in" from the indicator cookie
 * alone (no request needed), then asks `/whoami` for the details. The idle warning is driven
 * by the logout router's peek `GET /auth/session`, which does not slide the idle deadline
 * (SPEC P5): watching never keeps a session alive.
 */
export function renderPage(options: PageOptions): string {
  const indicator = JSON.stringify(options.indicatorCookie);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sessionware ${options.framework} example</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  section { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  [hidden] { display: none !important; }
  #state { font-weight: bold; }
  #idle-warning { background: #fff3cd; border-color: #e0b000; }
  #sessions-list li { margin: .25rem 0; }
  pre { background: #f6f6f6; padding: .5rem; overflow: auto; }
</style>
</head>
<body>
<h1>sessionware · ${options.framework} example</h1>
<p>State from the indicator cookie: <span id="state" data-testid="state">…</span></p>
<section id="idle-warning" data-testid="idle-warning" role="alert" hidden>
  Your session ends in <span id="idle-left"></span> s unless you do something.
  <button type="button" id="stay-button">Stay logged in</button>
</section>
<section id="login" hidden>
  <h2>Log in</h2>
  <form id="login-form" method="post" action="/login">
    <label>Username <input name="username" id="username" required maxlength="64" autocomplete="username"></label>
    <label><input type="checkbox" name="remember" id="remember" value="on"> Remember me</label>
    <button type="submit" id="login-button">Log in</button>
  </form>
</section>
<section id="account" hidden>
  <h2>Who am I</h2>
  <pre id="whoami" data-testid="whoami"></pre>
  <button type="button" id="verify-button">Verify my email</button>
  <button type="button" id="counter-button">Count</button> <span id="counter"></span>
  <p>
    <button type="button" id="sensitive-button">Open the sensitive page</button>
    <button type="button" id="reauthenticate-button">Re-authenticate</button>
    <span id="sensitive-result" data-testid="sensitive-result"></span>
  </p>
  <h2>My sessions</h2>
  <ul id="sessions-list" data-testid="sessions-list"></ul>
  <form method="post" action="/auth/logout"><button type="submit" id="logout-button">Log out</button></form>
  <form method="post" action="/auth/logout-all"><button type="submit" id="logout-all-button">Log out everywhere</button></form>
</section>
<script>
  const INDICATOR = ${indicator};
  const IDLE_WARNING_MS = ${JSON.stringify(options.idleWarningMs)};
  const byId = (id) => document.getElementById(id);
  const time = (ms) => new Date(ms).toISOString();
  let idleTimer;
  let idleRun = 0;
  function loggedIn() {
    if (INDICATOR === false) return false;
    return document.cookie.split('; ').some((pair) => pair === INDICATOR + '=1');
  }
  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return response.json();
  }
  function stopIdleWatch() {
    idleRun += 1;
    clearTimeout(idleTimer);
    byId('idle-warning').hidden = true;
  }
  // Peeks at the deadlines (GET /auth/session does not slide them), shows the warning when
  // less than IDLE_WARNING_MS is left, and peeks again when the warning is due, each second
  // while it shows, and at least once a minute (another tab may slide the deadline or log out).
  async function watchIdle() {
    clearTimeout(idleTimer);
    // Only the latest watch schedules the next peek.
    const run = ++idleRun;
    const response = await fetch('/auth/session', { headers: { accept: 'application/json' } });
    if (run !== idleRun) return;
    if (response.status !== 200) {
      stopIdleWatch();
      // A request that loads the ended session clears both cookies (SPEC C3), then the page shows it.
      await fetch('/whoami', { headers: { accept: 'application/json' } });
      if (!loggedIn()) render();
      return;
    }
    const { idleExpiresAt } = await response.json();
    if (run !== idleRun) return;
    const left = idleExpiresAt - Date.now();
    const warn = left <= IDLE_WARNING_MS;
    byId('idle-left').textContent = String(Math.max(0, Math.ceil(left / 1000)));
    byId('idle-warning').hidden = !warn;
    idleTimer = setTimeout(watchIdle, warn ? Math.min(1000, Math.max(left, 0) + 50) : Math.min(left - IDLE_WARNING_MS, 60000));
  }
  async function loadSessions() {
    const response = await fetch('/sessions', { headers: { accept: 'application/json' } });
    const list = byId('sessions-list');
    if (response.status !== 200) {
      list.replaceChildren();
      return;
    }
    const { sessions } = await response.json();
    list.replaceChildren(...sessions.map((session) => {
      const item = document.createElement('li');
      item.className = 'session';
      item.dataset.handle = session.handle;
      item.dataset.current = String(session.current);
      const text = document.createElement('span');
      text.textContent = (session.userAgent ?? 'unknown device') + (session.current ? ' (this device)' : '') +
        ' · logged in ' + time(session.createdAt) + ' · last seen ' + time(session.lastSeenAt) +
        ' · authenticated ' + (typeof session.authenticatedAt === 'number' ? time(session.authenticatedAt) : 'never');
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'revoke-button';
      revoke.textContent = 'Revoke';
      revoke.addEventListener('click', async () => {
        await post('/sessions/' + encodeURIComponent(session.handle) + '/revoke');
        if (session.current) render();
        else loadSessions();
      });
      item.append(text, ' ', revoke);
      return item;
    }));
  }
  async function render() {
    const on = loggedIn();
    document.getElementById('state').textContent = on ? 'logged in' : 'logged out';
    document.getElementById('login').hidden = on;
    document.getElementById('account').hidden = !on;
    if (!on) {
      stopIdleWatch();
      byId('sessions-list').replaceChildren();
      return;
    }
    const response = await fetch('/whoami', { headers: { accept: 'application/json' } });
    document.getElementById('whoami').textContent = JSON.stringify(await response.json(), null, 2);
    if (response.status === 401) {
      if (!loggedIn()) render();
      return;
    }
    await loadSessions();
    watchIdle();
  }
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await post('/login', { username: byId('username').value, remember: byId('remember').checked });
    render();
  });
  document.getElementById('verify-button').addEventListener('click', async () => {
    await post('/verify-email');
    render();
  });
  document.getElementById('counter-button').addEventListener('click', async () => {
    const { counter } = await post('/counter');
    document.getElementById('counter').textContent = String(counter);
  });
  byId('sensitive-button').addEventListener('click', async () => {
    const response = await fetch('/sensitive', { headers: { accept: 'application/json' } });
    byId('sensitive-result').textContent = response.status === 200 ? 'opened' : (await response.json()).error;
  });
  byId('reauthenticate-button').addEventListener('click', async () => {
    await post('/reauthenticate');
    byId('sensitive-result').textContent = 're-authenticated';
    loadSessions();
  });
  byId('stay-button').addEventListener('click', async () => {
    // Any request that loads the session slides the idle deadline (SPEC T2); the peek does not.
    const response = await fetch('/whoami', { headers: { accept: 'application/json' } });
    if (response.status === 200) watchIdle();
    else render();
  });
  render();
</script>
</body>
</html>
`;
}
