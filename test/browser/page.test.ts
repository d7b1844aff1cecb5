/// <reference lib="dom" />
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expressExample, koaExample, type ExampleTarget } from '../examples/targets.js';

/** Debian's Chromium, started as root with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function describeBrowser(target: ExampleTarget): void {
  describe(`browser: the ${target.name} page in Chromium`, function () {
    this.timeout(60_000);
    let browser: Browser;
    let app: { url: string; close(): Promise<void> } | undefined;
    let context: BrowserContext | undefined;
    /** Contexts of a second browser ("another device"), closed after each test. */
    const others: BrowserContext[] = [];
    before(async () => {
      browser = await launchChromium();
    });
    after(() => browser?.close());
    afterEach(async () => {
      await Promise.all(others.splice(0).map((other) => other.close()));
      await context?.close();
      await app?.close();
      context = undefined;
      app = undefined;
    });

    async function open(env: Record<string, string> = {}) {
      app = await target.start(env);
      context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(app.url);
      return page;
    }

    /** A page of the running app in a second browser context with its own cookies and User-Agent. */
    async function openOther(userAgent: string) {
      const other = await browser.newContext({ userAgent });
      others.push(other);
      const page = await other.newPage();
      await page.goto(app!.url);
      return { context: other, page };
    }

    /** Logs in through the page's form and waits for the who-am-I panel. */
    async function logIn(page: Page, username: string, options: { remember?: boolean } = {}) {
      await page.fill('#username', username);
      if (options.remember === true) await page.check('#remember');
      await page.click('#login-button');
      await page.getByText(`"username": "${username}"`).waitFor();
    }

    const shows = (page: Page, state: string) =>
      page.waitForFunction((expected) => document.getElementById('state')?.textContent === expected, state);

    it('§E, C1, L1: log in through the form, see who I am from the indicator cookie, log out with the button', async () => {
      const page = await open();
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'logged out');
      await page.fill('#username', 'erin');
      await page.click('#login-button');
      await page.getByText('"username": "erin"').waitFor();
      expect(await page.getByTestId('state').textContent()).to.equal('logged in');
      const cookies = await context!.cookies();
      const session = cookies.find((c) => c.name === 'sw.sid');
      const indicator = cookies.find((c) => c.name === 'sw.sid.active');
      expect(session?.httpOnly).to.equal(true);
      expect(indicator?.httpOnly).to.equal(false);
      expect(await page.evaluate(() => document.cookie)).to.equal('sw.sid.active=1');
      await page.click('#logout-button');
      await page.waitForURL(app!.url + '/');
      expect(await page.getByTestId('state').textContent()).to.equal('logged out');
      expect(await context!.cookies()).to.deep.equal([]);
    });

    it('C1, C2: in persistent mode the browser keeps both cookies with the same expiry', async () => {
      const page = await open({ SESSION_COOKIE_EXPIRY: 'persistent', SESSION_IDLE_TIMEOUT: '2h' });
      await page.fill('#username', 'frank');
      await page.click('#login-button');
      await page.getByText('"username": "frank"').waitFor();
      const cookies = await context!.cookies();
      const [session, indicator] = ['sw.sid', 'sw.sid.active'].map((name) => cookies.find((c) => c.name === name)!);
      expect(session!.expires).to.be.greaterThan(Date.now() / 1000 + 7100);
      // Chromium computes each expiry from Max-Age on receipt, microseconds apart.
      expect(indicator!.expires).to.be.closeTo(session!.expires, 1);
    });

    it('C5: when the session cookie is gone, the next response clears the indicator and the page shows logged out', async () => {
      const page = await open();
      await page.fill('#username', 'gina');
      await page.click('#login-button');
      await page.getByText('"username": "gina"').waitFor();
      await context!.clearCookies({ name: 'sw.sid' });
      await page.reload();
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'logged out');
      expect(await page.evaluate(() => document.cookie)).to.equal('');
    });

    it('§E, P1, U4, P5: log in with "remember me" (the cookie gets an expiry), see both sessions, revoke the other one (gone from the list, that browser logged out), then the idle warning appears, "Stay logged in" hides it, and the session ends at its idle deadline', async () => {
      // Warning in the last 2 s. A remembered cookie's Max-Age is whole seconds rounded down, so
      // the browser drops it up to 1 s before the server's idle deadline.
      const page = await open({ SESSION_IDLE_TIMEOUT: '6s' });
      await logIn(page, 'hana', { remember: true });
      const warning = page.locator('#idle-warning');
      expect(await warning.isHidden(), 'no warning with 6 s left').to.equal(true);
      const cookies = await context!.cookies();
      const [session, indicator] = ['sw.sid', 'sw.sid.active'].map((name) => cookies.find((c) => c.name === name)!);
      expect(session!.expires, 'a remembered session cookie has an expiry').to.be.greaterThan(Date.now() / 1000);
      expect(indicator!.expires).to.be.closeTo(session!.expires, 1);

      const phone = await openOther('Phone');
      await logIn(phone.page, 'hana');
      const phoneCookies = await phone.context.cookies();
      expect(phoneCookies.find((c) => c.name === 'sw.sid')?.expires, 'without "remember me" a browser-session cookie').to.equal(-1);
      await page.reload();
      const entries = page.locator('#sessions-list li');
      await entries.nth(1).waitFor();
      expect(await entries.count()).to.equal(2);
      const mine = page.locator('#sessions-list li[data-current="true"]');
      const other = page.locator('#sessions-list li[data-current="false"]');
      expect(await mine.textContent()).to.include('(this device)').and.match(/authenticated \d{4}-\d\d-\d\dT/);
      expect(await other.textContent()).to.include('Phone').and.not.include('(this device)');
      await other.getByRole('button', { name: 'Revoke' }).click();
      await other.waitFor({ state: 'detached' });
      expect(await entries.count()).to.equal(1);
      await phone.page.reload();
      await shows(phone.page, 'logged out');
      expect(await phone.context.cookies()).to.deep.equal([]);

      // The page only peeks from now on: the warning comes in the last third of the idle time.
      await warning.waitFor({ state: 'visible' });
      expect(Number(await page.locator('#idle-left').textContent())).to.be.within(0, 2);
      await page.click('#stay-button');
      await warning.waitFor({ state: 'hidden' });
      // Left alone, the page keeps peeking and the session still ends at its idle deadline.
      await shows(page, 'logged out');
      expect(await warning.isHidden()).to.equal(true);
      expect(await context!.cookies()).to.deep.equal([]);
    });

    it('§E, L4: "Log out everywhere" logs out this browser and the other one', async () => {
      const page = await open();
      await logIn(page, 'ines');
      const phone = await openOther('Phone');
      await logIn(phone.page, 'ines');
      await page.click('#logout-all-button');
      await page.waitForURL(app!.url + '/');
      await shows(page, 'logged out');
      await phone.page.reload();
      await shows(phone.page, 'logged out');
      expect(await phone.context.cookies()).to.deep.equal([]);
    });
  });
}

describeBrowser(expressExample);
describeBrowser(koaExample);
