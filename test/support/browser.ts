import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { freePort, smtpSink, type SmtpSink } from './smtp';

// What the browser suites share: the app listening on a free port with a test SMTP server,
// Debian's Chromium (no download), and a look at each page: axe at WCAG 2.2 AA where JavaScript
// runs, and a photograph at 360 and 1280 pixels wide into a folder printed at the start.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserStage {
  h: Harness;
  smtp: SmtpSink;
  browser: Browser;
  /** The app's address, as its emails' links write it. */
  base: string;
  /** How many pages axe has checked. */
  checked: () => number;
  /** Checks the page with axe where JavaScript is on, and photographs it at both widths. */
  look: (page: Page, name: string, js: boolean) => Promise<void>;
  close: () => Promise<void>;
}

/** `into`: the folder the photographs go to; a new temporary folder unless given. */
export async function browserStage(what: string, into?: string): Promise<BrowserStage> {
  const folder = into ?? mkdtempSync(join(tmpdir(), 'grants-pages-'));
  mkdirSync(folder, { recursive: true });
  const smtp = await smtpSink();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: base, PORT: String(port) });
  await h.app.listen(port, '127.0.0.1');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  process.stdout.write(`screenshots of ${what}: ${folder}\n`);
  let checked = 0;
  const look = async (page: Page, name: string, js: boolean): Promise<void> => {
    // axe runs in the page, so only where JavaScript is on; the page without it is the same page.
    if (js) {
      const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      const found = results.violations.map(
        (v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
      expect(found).toEqual([]);
      checked++;
    }
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(folder, `${name}-${width}.png`), fullPage: true });
    }
  };
  return {
    h,
    smtp,
    browser,
    base,
    checked: () => checked,
    look,
    close: async () => {
      await browser.close();
      await h.close();
      await smtp.stop();
    },
  };
}
