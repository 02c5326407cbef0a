import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually } from '../support/gateway';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', 'test-artifacts', 'console.png');

/** Debian's chromium, installed on the spot when missing and we are root; null (with a warning) otherwise. */
function ensureChromium(): string | null {
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

const chromium = ensureChromium();
const describeWithBrowser = chromium ? describe : describe.skip;

describeWithBrowser('delivery console in a browser', () => {
  let browser: BrowserContext;
  let profile: string;
  let page: Page;
  let receiverUp = false;
  // Declared first, so it runs first: the browser lets go of the gateway before the gateway closes.
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  // Retries wait 10× the core schedule (first one after 50 s): only the Retry button re-sends here.
  const gw = useGateway({ env: { DELIVERY_TIME_SCALE: '10' } });
  const receiver = useReceiver();

  beforeAll(async () => {
    receiver.respond = () => (receiverUp ? { status: 200, body: 'thanks' } : { status: 500, body: '{"error":"database down","token":"sk_live_123"}' });
    profile = mkdtempSync(join(tmpdir(), 'hookgate-chromium-'));
    const { chromium: launcher } = await import('playwright-core');
    browser = await launcher.launchPersistentContext(profile, {
      executablePath: chromium!,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  it('shows a failed delivery, retries it from the console, and shows it succeed', async () => {
    const token = gw.token({ scope: 'webhooks:read webhooks:write deliveries:read deliveries:write audit:read events:publish' });
    const endpoint = await gw.request('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['invoice.paid'] }, { token });
    expect(endpoint.status).toBe(201);
    const event = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 42 } }, { token });
    expect(event.status).toBe(202);
    const failed = await eventually(async () => {
      const list = await gw.request('GET', `/v1/deliveries?eventId=${event.body.id}`, undefined, { token });
      return list.body.data.find((d: { status: string }) => d.status === 'failed');
    });

    await page.goto(`${gw.url}/console`);
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    await expectText(page.getByRole('row', { name: new RegExp(receiver.url) }), '1 of 1 failed');

    await page.getByRole('link', { name: `Deliveries of ${receiver.url}` }).click();
    await page.getByRole('heading', { name: `Deliveries of ${receiver.url}` }).waitFor();
    await expectText(page.getByRole('row', { name: new RegExp(failed.id) }), 'failed');

    await page.getByRole('link', { name: failed.id }).click();
    await page.getByRole('heading', { name: `Delivery ${failed.id}` }).waitFor();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    await expectText(attempts, '500');
    await expectText(attempts, 'database down');
    expect(await attempts.textContent()).not.toContain('sk_live_123');

    receiverUp = true;
    await page.getByRole('button', { name: 'Retry delivery' }).click();
    await expectText(page.getByRole('status'), `Delivery ${failed.id} succeeded.`);
    await expectText(page.locator('#delivery-facts'), 'succeeded');
    await expectText(attempts, '200');
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expectText(page.getByRole('table'), 'delivery.retried');

    await page.goBack();
    await page.getByRole('heading', { name: `Delivery ${failed.id}` }).waitFor();
  }, 60_000);

  it('signs in with client credentials and is sent back to sign-in when the token is refused', async () => {
    const client = await gw.request('POST', '/v1/clients', { name: 'console-user', scopes: ['webhooks:read', 'deliveries:read'] }, { token: gw.adminToken() });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Client id').fill(client.body.clientId);
    await page.getByLabel('Client secret').fill(client.body.clientSecret);
    await page.getByRole('button', { name: 'Sign in with client' }).click();
    await page.getByRole('heading', { name: 'Endpoints' }).waitFor();
    await expectText(page.getByRole('status'), 'Showing 0 endpoint(s).');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await expectText(page.getByRole('alert'), 'sign in again');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }, 30_000);
});

/** Waits (bounded by Playwright's timeout) until the element's text contains `text`. */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}
