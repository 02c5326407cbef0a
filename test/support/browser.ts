import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's chromium, installed on the spot when missing and we are root; null (with a warning) otherwise. */
export function ensureChromium(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
      execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (err) {
      console.warn(`!!! console browser test SKIPPED: installing chromium failed: ${(err as Error).message}`);
      return null;
    }
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  console.warn(`!!! console browser test SKIPPED: ${CHROMIUM} is missing and cannot be installed here (apt-get install chromium as root)`);
  return null;
}

/**
 * One headless chromium for a describe block, with a page that records every page error and console
 * error: `takeErrors()` returns and forgets them, so each test can assert there were none.
 */
export function useBrowser(executablePath: string) {
  let context: BrowserContext | undefined;
  let profile = '';
  let errors: string[] = [];
  const state = {
    page: undefined as unknown as Page,
    /** Errors since the last call; `expected` ones (e.g. the 401 of a refused token) are dropped. */
    takeErrors(expected: RegExp[] = []): string[] {
      const taken = errors.filter((e) => !expected.some((pattern) => pattern.test(e)));
      errors = [];
      return taken;
    },
  };
  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'hookgate-chromium-'));
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Well inside jest's own timeout, so a missing element fails with Playwright's message.
    context.setDefaultTimeout(10_000);
    state.page = context.pages()[0] ?? (await context.newPage());
    state.page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    state.page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()} (${message.location().url})`);
    });
  }, 120_000);
  // Declare before the gateway, so the browser lets go of it before it closes.
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return {
    get page() {
      return state.page;
    },
    grantClipboard: (origin: string) => context!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }),
    takeErrors: state.takeErrors,
  };
}

const AXE_SOURCE: string = require('axe-core').source;

/**
 * axe-core's serious and critical violations on the page as it is now (injected through the
 * DevTools protocol, which the page's CSP does not govern), one line per violated rule.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("typeof axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<{ id: string; impact: string; targets: string[] }[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

/** Waits (bounded) until the element's text contains `text`. */
export async function expectText(locator: Locator, text: string | RegExp, timeout = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}
