import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { DEMO_OWNER } from '../../harness/n8n-api';
import { ARTIFACTS_DIR, ROOT } from '../../harness/paths';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, kept off the network this machine does not have. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.fill('input[name=emailOrLdapLoginId]', DEMO_OWNER.email);
  await page.fill('input[name=password]', DEMO_OWNER.password);
  await page.click('[data-test-id=form-submit-button]');
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const folder = join(ARTIFACTS_DIR, 'screenshots');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * The docs show each trigger's panel as the editor draws it: the panel alone, one CSS pixel per
 * pixel, so each PNG stays small. A run writes into docs/ only when asked
 * (UPDATE_DOCS_SCREENSHOTS=1), so a test run leaves the checkout as it found it.
 */
export async function docsScreenshot(panel: Locator, name: string): Promise<string> {
  const folder = process.env.UPDATE_DOCS_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ARTIFACTS_DIR, 'docs-screenshots');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await panel.screenshot({ path, scale: 'css', animations: 'disabled', caret: 'hide' });
  return path;
}
