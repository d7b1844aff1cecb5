/**
 * The example apps' `GET /` page: a login form, a who-am-I panel and a logout button. Its
 * script decides "logged in" from the indicator cookie alone (no request needed), then asks
 * `/whoami` for the details.
 */
export function renderPage(options: { framework: string; indicatorCookie: string | false }): string {
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
  pre { background: #f6f6f6; padding: .5rem; overflow: auto; }
</style>
</head>
<body>
<h1>sessionware · ${options.framework} example</h1>
<p>State from the indicator cookie: <span id="state" data-testid="state">…</span></p>
<section id="login" hidden>
  <h2>Log in</h2>
  <form id="login-form" method="post" action="/login">
    <label>Username <input name="username" id="username" required maxlength="64" autocomplete="username"></label>
    <button type="submit" id="login-button">Log in</button>
  </form>
</section>
<section id="account" hidden>
  <h2>Who am I</h2>
  <pre id="whoami" data-testid="whoami"></pre>
  <button type="button" id="verify-button">Verify my email</button>
  <button type="button" id="counter-button">Count</button> <span id="counter"></span>
  <form method="post" action="/auth/logout"><button type="submit" id="logout-button">Log out</button></form>
</section>
<script>
  const INDICATOR = ${indicator};
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
  async function render() {
    const on = loggedIn();
    document.getElementById('state').textContent = on ? 'logged in' : 'logged out';
    document.getElementById('login').hidden = on;
    document.getElementById('account').hidden = !on;
    if (on) {
      const response = await fetch('/whoami', { headers: { accept: 'application/json' } });
      document.getElementById('whoami').textContent = JSON.stringify(await response.json(), null, 2);
      if (response.status === 401 && !loggedIn()) render();
    }
  }
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await post('/login', { username: document.getElementById('username').value });
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
  render();
</script>
</body>
</html>
`;
}
