/// <reference lib="dom" />
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
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
    before(async () => {
      browser = await launchChromium();
    });
    after(() => browser?.close());
    afterEach(async () => {
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
  });
}

describeBrowser(expressExample);
describeBrowser(koaExample);
