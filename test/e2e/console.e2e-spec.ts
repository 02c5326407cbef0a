import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureChromium, expectText, seriousA11yViolations, useBrowser } from '../support/browser';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually } from '../support/gateway';

const { buildConsole } = require('../../scripts/build-console.js');

const chromium = ensureChromium();
const describeWithBrowser = chromium ? describe : describe.skip;
const SCREENSHOT = join(__dirname, '..', '..', 'test-artifacts', 'console.png');
const TENANT_SCOPES = 'webhooks:read webhooks:write deliveries:read deliveries:write audit:read events:publish';

describeWithBrowser('console v2 in Chromium', () => {
  const browser = useBrowser(chromium!);
  // Retries wait 10× the core schedule (the first one after 50 s): only the console's buttons re-send here.
  // The engine disables an endpoint at its third failed attempt in a row (no minimum time).
  const gw = useGateway({ env: { DELIVERY_TIME_SCALE: '10', DELIVERY_DISABLE_AFTER_MS: '0', DELIVERY_DISABLE_MIN_FAILURES: '3' } });
  const receiver = useReceiver();
  let receiverUp = false;
  const acme = () => gw.token({ sub: 'alice', tenant: 'acme', scope: TENANT_SCOPES });
  const page = (): Page => browser.page;
  /** The app has rendered the URL's hash: before that, a field filled in may be reset by the render. */
  const rendered = async () => {
    const hash = await page().evaluate<string>('window.location.hash');
    await page().locator(`#main[data-route=${JSON.stringify(hash)}]`).waitFor({ state: 'attached' });
  };
  const open = async (hash: string) => {
    await page().goto(`${gw.url}/console#/${hash}`);
    await rendered();
  };
  const arriveAt = async (url: RegExp) => {
    await page().waitForURL(url);
    await rendered();
  };
  /** An expression evaluated in the page (the test compiles without the DOM's types). */
  const inPage = <T>(expression: string) => page().evaluate<T>(expression);

  /** The view's heading is there, and axe-core finds no serious or critical violation on it. */
  async function seeView(title: string | RegExp): Promise<void> {
    await page().getByRole('heading', { level: 2, name: title }).waitFor();
    await page().getByText('Loading…').first().waitFor({ state: 'detached' });
    expect(await seriousA11yViolations(page())).toEqual([]);
  }
  const status = () => page().getByRole('status');
  const rowsOf = (table: string | RegExp) => page().getByRole('table', { name: table }).locator('tbody tr');

  let endpointId = '';
  let failed: { id: string; eventId: string };

  beforeAll(async () => {
    await buildConsole();
    receiver.respond = (req) =>
      receiverUp && !req.url.includes('/broken') ? { status: 200, body: 'thanks' } : { status: 500, body: '{"error":"database down","token":"sk_live_123"}' };
    await browser.grantClipboard(gw.url);
  });
  afterEach(() => expect(browser.takeErrors()).toEqual([]));

  it('signs in with a tenant token and opens on the overview', async () => {
    const served = await page().goto(`${gw.url}/console`);
    const csp = (await served!.allHeaders())['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    await seeView('Sign in');
    await page().getByLabel('Access token').fill(acme());
    await page().getByRole('button', { name: 'Sign in with token' }).click();
    await seeView('Overview');
    await expectText(page().getByRole('list').filter({ hasText: 'succeeded' }), 'dead');
    await expectText(page().getByRole('table', { name: 'Endpoints failing most' }), 'No endpoint failed');
  });

  it('creates an endpoint in the form and shows its secret once', async () => {
    await page().getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Endpoints' }).click();
    await seeView('Endpoints');
    await page().getByRole('link', { name: 'New endpoint' }).click();
    await seeView('New endpoint');
    // The plugin's catalogue offers its event types as checkboxes; core endpoints take typed ones.
    await page().getByLabel('Plugin').selectOption('generic');
    await page().getByRole('checkbox', { name: /data\.created/ }).waitFor();
    await seeView('New endpoint');
    await page().getByLabel('Plugin').selectOption('');
    await expectText(page().getByRole('group', { name: 'Event types' }), 'No catalogue for core endpoints');
    await page().getByLabel('URL').fill(receiver.url);
    await page().getByLabel('Other event types').fill('invoice.paid');
    await page().getByLabel('Description').fill('Billing service');
    await page().getByLabel('Custom headers').fill('X-Team: billing\nX-Api-Key: hdr_secret_value');
    await page().getByRole('button', { name: 'Create endpoint' }).click();
    await seeView('Endpoint created');
    const secret = await page().locator('#secret-value').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page().getByRole('button', { name: 'Copy secret' }).click();
    await expectText(status(), 'Secret copied to the clipboard.');
    expect(await inPage('navigator.clipboard.readText()')).toBe(secret);

    await page().getByRole('link', { name: `Open endpoint ${receiver.url}` }).click();
    await seeView(`Endpoint ${receiver.url}`);
    endpointId = decodeURIComponent(page().url().split('#/endpoints/')[1]);
    const stored = await gw.request('GET', `/v1/webhooks/${endpointId}`, undefined, { token: acme() });
    expect(stored.body).toMatchObject({ url: receiver.url, eventTypes: ['invoice.paid'], description: 'Billing service', tenant: 'acme' });
    expect((await gw.request('GET', `/v1/webhooks/${endpointId}/secret`, undefined, { token: acme() })).body.secret).toBe(secret);
    await expectText(page().locator('#endpoint-facts'), 'X-Team, X-Api-Key');
  });

  it("creates a plugin's endpoint with event types ticked in its catalogue, and edits them", async () => {
    await open('endpoints/new');
    await seeView('New endpoint');
    await page().getByLabel('URL').fill(`${receiver.url}/lms`);
    await page().getByLabel('Plugin').selectOption('caliper');
    await page().getByRole('checkbox', { name: /^NavigationEvent/ }).check();
    await page().getByRole('checkbox', { name: /^SessionEvent/ }).check();
    await page().getByRole('button', { name: 'Create endpoint' }).click();
    await seeView('Endpoint created');
    await page().getByRole('link', { name: `Open endpoint ${receiver.url}/lms` }).click();
    await seeView(`Endpoint ${receiver.url}/lms`);
    const lmsId = decodeURIComponent(page().url().split('#/endpoints/')[1]);
    const created = await gw.request('GET', `/v1/webhooks/${lmsId}`, undefined, { token: acme() });
    expect(created.body).toMatchObject({ plugin: 'caliper', eventTypes: ['NavigationEvent', 'SessionEvent'] });

    await page().getByRole('link', { name: 'Edit endpoint' }).click();
    await seeView('Edit endpoint');
    expect(await page().getByRole('checkbox', { name: /^NavigationEvent/ }).isChecked()).toBe(true);
    await page().getByRole('checkbox', { name: /^SessionEvent/ }).uncheck();
    await page().getByRole('button', { name: 'Save endpoint' }).click();
    await seeView(`Endpoint ${receiver.url}/lms`);
    expect((await gw.request('GET', `/v1/webhooks/${lmsId}`, undefined, { token: acme() })).body).toMatchObject({ plugin: 'caliper', eventTypes: ['NavigationEvent'] });
  });

  it('shows a failed delivery, its attempt with the request masked, and a retry that succeeds', async () => {
    const event = await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount: 42, currency: 'EUR' } }, { token: acme() });
    expect(event.status).toBe(202);
    failed = await eventually(async () => {
      const list = await gw.request('GET', `/v1/deliveries?eventId=${event.body.id}`, undefined, { token: acme() });
      return list.body.data.find((d: { status: string }) => d.status === 'failed');
    });

    await page().getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Overview' }).click();
    await seeView('Overview');
    await expectText(page().getByRole('link', { name: /failed$/ }), '1 failed');
    await expectText(rowsOf('Endpoints failing most'), new RegExp(`${receiver.url}\\s*acme\\s*1\\s*1\\s*0\\.0%`));

    await page().getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Deliveries' }).click();
    await seeView('Deliveries');
    await page().getByLabel('Status').selectOption('failed');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await arriveAt(/status=failed/);
    await expectText(rowsOf('1 deliveries on this page'), failed.id);
    await page().getByRole('link', { name: failed.id }).click();
    await seeView(`Delivery ${failed.id}`);
    await expectText(page().getByRole('table', { name: 'Attempts' }), '500');

    await page().getByRole('link', { name: 'Attempt 1 detail' }).click();
    await seeView(`Attempt 1 of delivery ${failed.id}`);
    await expectText(page().getByRole('main'), `POST ${receiver.url}`);
    const sent = receiver.received[0];
    const requestHeaders = page().getByRole('table', { name: 'Request headers' });
    await expectText(requestHeaders.getByRole('row', { name: /webhook-signature/i }), '********');
    await expectText(requestHeaders.getByRole('row', { name: /x-api-key/i }), '********');
    await expectText(requestHeaders.getByRole('row', { name: /x-team/i }), '********');
    await expectText(requestHeaders.getByRole('row', { name: /webhook-id/i }), String(sent.headers['webhook-id']));
    const wholePage = (await page().content()) ?? '';
    expect(wholePage).not.toContain('hdr_secret_value');
    expect(wholePage).not.toContain(String(sent.headers['webhook-signature']).slice(3));
    expect(await page().getByLabel('Request body').textContent()).toBe(sent.body);
    await expectText(page().getByRole('main'), 'Status 500');
    const responseBody = await page().getByLabel('Response body').textContent();
    expect(responseBody).toContain('database down');
    expect(responseBody).toContain('"token":"••••••');
    expect(await page().content()).not.toContain('sk_live_123');

    await page().getByRole('link', { name: `Back to delivery ${failed.id}` }).click();
    await seeView(`Delivery ${failed.id}`);
    receiverUp = true;
    await page().getByRole('button', { name: 'Retry delivery' }).click();
    await expectText(status(), `Delivery ${failed.id} succeeded after the retry.`, 20_000);
    await expectText(page().locator('#delivery-facts'), 'succeeded');
    await expectText(page().getByRole('table', { name: 'Attempts' }), '200');
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page().screenshot({ path: SCREENSHOT, fullPage: true });
  }, 60_000);

  it('shows the endpoint health over 24 h as a chart and as figures, with its deliveries', async () => {
    await page().getByRole('link', { name: endpointId }).click();
    await seeView(`Endpoint ${receiver.url}`);
    await expectText(page().locator('#health-figures'), 'success rate 50.0% (1 of 2 attempts succeeded, 1 failed)');
    expect(await page().locator('.chart canvas').count()).toBe(2);
    await expectText(rowsOf('Hours with attempts (last 24 h)'), '50.0%');
    await expectText(rowsOf('Latest 1 deliveries of this endpoint'), failed.id);
  });

  it('edits, rotates, tests, disables, enables, recovers and deletes endpoints', async () => {
    await page().getByRole('link', { name: 'Edit endpoint' }).click();
    await seeView('Edit endpoint');
    await page().getByLabel('Description').fill('Billing service (EU)');
    await page().getByRole('button', { name: 'Save endpoint' }).click();
    await seeView(`Endpoint ${receiver.url}`);
    await expectText(status(), 'saved');
    await expectText(page().locator('#endpoint-facts'), 'Billing service (EU)');
    expect((await gw.request('GET', `/v1/webhooks/${endpointId}`, undefined, { token: acme() })).body.eventTypes).toEqual(['invoice.paid']);

    await page().getByRole('button', { name: 'Rotate secret' }).click();
    await expectText(status(), 'Secret rotated');
    const rotated = await page().locator('#secret-value').textContent();
    expect((await gw.request('GET', `/v1/webhooks/${endpointId}/secret`, undefined, { token: acme() })).body.secret).toBe(rotated);

    await page().getByRole('button', { name: 'Disable endpoint' }).click();
    await expectText(status(), 'Endpoint disabled');
    await expectText(page().locator('#endpoint-facts'), 'disabled');
    await page().getByRole('button', { name: 'Enable endpoint' }).click();
    await expectText(status(), 'Endpoint enabled');
    await expectText(page().locator('#endpoint-facts'), 'enabled');
    expect((await gw.request('GET', `/v1/webhooks/${endpointId}`, undefined, { token: acme() })).body.enabled).toBe(true);

    receiverUp = false;
    await page().getByRole('button', { name: 'Send test event' }).click();
    await expectText(status(), /Test event \S+ queued/);
    await eventually(async () => {
      const list = await gw.request('GET', `/v1/deliveries?endpointId=${endpointId}&status=failed`, undefined, { token: acme() });
      return list.body.data.length === 1;
    });
    receiverUp = true;
    await page().getByRole('button', { name: 'Recover' }).click();
    await expectText(status(), 'Recovered 1 failed or dead deliveries.');
    await eventually(async () => {
      const list = await gw.request('GET', `/v1/deliveries?endpointId=${endpointId}&status=succeeded`, undefined, { token: acme() });
      return list.body.data.length === 2;
    });

    const doomed = await gw.request('POST', '/v1/webhooks', { url: `${receiver.url}/doomed` }, { token: acme() });
    await open(`endpoints/${doomed.body.id}`);
    await seeView(`Endpoint ${receiver.url}/doomed`);
    await page().getByRole('button', { name: 'Delete endpoint' }).click();
    const confirm = page().getByRole('button', { name: 'Yes, delete endpoint' });
    await page().waitForFunction(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent === 'Yes, delete endpoint');
    await seeView(`Endpoint ${receiver.url}/doomed`);
    await confirm.click();
    await seeView('Endpoints');
    await expectText(status(), `Endpoint ${receiver.url}/doomed deleted.`);
    expect((await gw.request('GET', `/v1/webhooks/${doomed.body.id}`, undefined, { token: acme() })).status).toBe(404);
    expect(await page().getByRole('link', { name: `${receiver.url}/doomed` }).count()).toBe(0);
  }, 60_000);

  it('filters deliveries, pages with both cursors, finds by id, and the back button walks back', async () => {
    for (const amount of [1, 2, 3]) {
      expect((await gw.request('POST', '/v1/events', { type: 'invoice.paid', data: { amount } }, { token: acme() })).status).toBe(202);
    }
    await eventually(async () => {
      const list = await gw.request('GET', `/v1/deliveries?endpointId=${endpointId}`, undefined, { token: acme() });
      return list.body.data.length === 5 && list.body.data.every((d: { status: string }) => d.status === 'succeeded');
    });
    const all = await gw.request('GET', '/v1/deliveries', undefined, { token: acme() });
    expect(all.body.data).toHaveLength(5);
    const ids: string[] = all.body.data.map((d: { id: string }) => d.id);
    const shownIds = async () => (await rowsOf('2 deliveries on this page').locator('td:first-child a').allTextContents()).map((t) => t.trim());

    await open('deliveries?limit=2');
    await seeView('Deliveries');
    expect(await shownIds()).toEqual(ids.slice(0, 2));
    expect(await page().getByText('Newest page').count()).toBe(1);
    await page().getByRole('link', { name: 'Older deliveries' }).click();
    await arriveAt(/cursor=/);
    await seeView('Deliveries');
    await expectText(rowsOf('2 deliveries on this page'), ids[2]);
    expect(await shownIds()).toEqual(ids.slice(2, 4));
    const secondPage = page().url();
    await page().getByRole('link', { name: 'Newer deliveries' }).click();
    await expectText(rowsOf('2 deliveries on this page'), ids[0]);
    expect(await shownIds()).toEqual(ids.slice(0, 2));
    await page().goBack();
    await expectText(rowsOf('2 deliveries on this page'), ids[2]);
    expect(page().url()).toBe(secondPage);

    await open('deliveries');
    await page().getByLabel('Event type').fill('hookgate.test');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await arriveAt(/eventType=hookgate.test/);
    await seeView('Deliveries');
    await expectText(rowsOf('1 deliveries on this page'), 'hookgate.test');
    await page().getByLabel('Endpoint id').fill(endpointId);
    await page().getByLabel('Created until').fill('2020-01-01T00:00');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('0 deliveries on this page'), 'Nothing here yet.');
    await page().getByRole('link', { name: 'Clear' }).click();
    await arriveAt(/#\/deliveries$/);
    await page().getByLabel('Plugin').fill('timbrix');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('0 deliveries on this page'), 'Nothing here yet.');
    await page().getByLabel('Plugin').fill('');
    await page().getByLabel('Created since').fill('2020-01-01T00:00');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('5 deliveries on this page'), ids[4]);

    await page().getByLabel('Event id or delivery id').fill(ids[3]);
    await page().getByRole('button', { name: 'Find' }).click();
    await seeView(`Delivery ${ids[3]}`);
    await page().goBack();
    await seeView('Deliveries');
    await page().getByLabel('Event id or delivery id').fill(failed.eventId);
    await page().getByRole('button', { name: 'Find' }).click();
    await arriveAt(new RegExp(`eventId=${failed.eventId}`));
    await expectText(rowsOf('1 deliveries on this page'), failed.id);
    await open('deliveries?since=yesterday');
    await expectText(page().getByRole('alert'), 'since');
    expect(browser.takeErrors([/400 .*\/v1\/deliveries\?since=yesterday/])).toEqual([]);
    await page().getByLabel('Event id or delivery id').fill('no-such-id');
    await page().getByRole('button', { name: 'Find' }).click();
    await expectText(status(), 'No event or delivery has the id no-such-id.');
    // Chromium logs the 404 of the lookup itself as a console error: that one is expected.
    expect(browser.takeErrors([/404 .*\/v1\/deliveries\/no-such-id/])).toEqual([]);
  }, 60_000);

  it('lists events and shows one with its formatted payload, a copy button and its deliveries (deep link)', async () => {
    await open('events');
    await seeView('Events');
    await expectText(rowsOf(/events on this page/), failed.eventId);
    await page().getByLabel('Event type').fill('hookgate.test');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('1 events on this page'), 'hookgate.test');
    await page().getByLabel('Event type').fill('invoice.paid');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('4 events on this page'), failed.eventId);
    await page().getByRole('link', { name: failed.eventId }).click();
    await seeView(`Event ${failed.eventId}`);
    const payload = JSON.stringify({ amount: 42, currency: 'EUR' }, null, 2);
    expect(await page().getByLabel('Payload', { exact: true }).textContent()).toBe(payload);
    await page().getByRole('button', { name: 'Copy payload' }).click();
    await expectText(status(), 'Payload copied');
    expect(await inPage('navigator.clipboard.readText()')).toBe(payload);
    await expectText(rowsOf('1 deliveries of this event'), failed.id);

    // A deep link opened afresh (the token stays in the tab), and the back button returns to the event.
    await page().goto(`${gw.url}/console#/deliveries/${failed.id}`);
    await seeView(`Delivery ${failed.id}`);
    await page().goBack();
    await seeView(`Event ${failed.eventId}`);
  });

  it('filters and pages the audit log', async () => {
    await page().getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Audit log' }).click();
    await seeView('Audit log');
    await expectText(rowsOf(/audit events on this page/), 'delivery.retried');
    await page().getByLabel('Action').fill('endpoint.enabled');
    await page().getByLabel('Actor').fill('alice');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('1 audit events on this page'), endpointId);
    await page().getByLabel('Target id').fill('nothing-here');
    await page().getByRole('button', { name: 'Apply filters' }).click();
    await expectText(rowsOf('0 audit events on this page'), 'Nothing here yet.');

    await open('audit?limit=1&target=' + endpointId);
    await seeView('Audit log');
    const first = await rowsOf('1 audit events on this page').textContent();
    await page().getByRole('link', { name: 'Older audit events' }).click();
    await arriveAt(/cursor=/);
    await page().getByRole('link', { name: 'Newer audit events' }).waitFor();
    expect(await rowsOf('1 audit events on this page').textContent()).not.toBe(first);
    await page().getByRole('link', { name: 'Newer audit events' }).click();
    await expectText(rowsOf('1 audit events on this page'), first!);
    await page().getByText('Newest page').waitFor();
  });

  it('shows an endpoint the engine disabled, and why, on its page and in the list', async () => {
    const broken = await gw.request('POST', '/v1/webhooks', { url: `${receiver.url}/broken`, eventTypes: ['order.created'] }, { token: acme() });
    // One event at a time, each failing once: the third failed attempt in a row disables the endpoint.
    for (const n of [1, 2, 3]) {
      const event = await gw.request('POST', '/v1/events', { type: 'order.created', data: { n } }, { token: acme() });
      await eventually(async () => {
        const list = await gw.request('GET', `/v1/deliveries?eventId=${event.body.id}`, undefined, { token: acme() });
        return ['failed', 'held'].includes(list.body.data[0]?.status);
      });
    }
    const disabled = await eventually(async () => {
      const endpoint = (await gw.request('GET', `/v1/webhooks/${broken.body.id}`, undefined, { token: acme() })).body;
      return !endpoint.enabled && endpoint;
    });
    expect(disabled.disabledReason).toMatch(/3 failed attempts/);

    await open(`endpoints/${broken.body.id}`);
    await seeView(`Endpoint ${receiver.url}/broken`);
    await expectText(page().locator('#auto-disabled'), `The gateway disabled this endpoint: ${disabled.disabledReason}.`);
    await expectText(page().locator('#endpoint-facts'), 'auto-disabled');
    await expectText(page().locator('#endpoint-facts'), disabled.disabledReason);
    await page().getByRole('button', { name: 'Enable endpoint' }).waitFor();
    await open('endpoints');
    await seeView('Endpoints');
    await expectText(rowsOf(/endpoints on this page/).filter({ hasText: '/broken' }), new RegExp(`auto-disabled\\s*${disabled.disabledReason.replace(/[()]/g, '\\$&')}`));
  });

  it('shows a tenant only its own tenant; an admin every tenant, narrowed by a tenant filter that lives in the URL', async () => {
    const globex = gw.token({ sub: 'gina', tenant: 'globex', scope: TENANT_SCOPES });
    await gw.request('POST', '/v1/webhooks', { url: `${receiver.url}/globex`, description: 'Globex' }, { token: globex });
    await open('endpoints');
    await seeView('Endpoints');
    await expectText(rowsOf(/endpoints on this page/), receiver.url);
    expect(await page().getByRole('link', { name: `${receiver.url}/globex` }).count()).toBe(0);
    expect(await page().getByLabel('Tenant', { exact: true }).count()).toBe(0);

    await page().getByRole('button', { name: 'Sign out' }).click();
    await seeView('Sign in');
    await page().getByLabel('Access token').fill(gw.adminToken());
    await page().getByRole('button', { name: 'Sign in with token' }).click();
    await seeView('Overview');
    await open('endpoints');
    await seeView('Endpoints');
    await page().getByRole('link', { name: `${receiver.url}/globex` }).waitFor();
    await page().getByRole('link', { name: receiver.url, exact: true }).waitFor();
    const tenantField = page().getByLabel('Tenant', { exact: true });
    await tenantField.fill('globex');
    await page().getByRole('button', { name: 'Apply tenant' }).click();
    await arriveAt(/#\/endpoints\?tenant=globex$/);
    await expectText(rowsOf('1 endpoints on this page'), 'globex');
    await expectText(page().getByRole('banner'), 'admin, showing tenant globex');
    expect(await page().getByRole('link', { name: receiver.url, exact: true }).count()).toBe(0);
    // Every link carries the filter, and the back button brings it back.
    const nav = page().getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link', { name: 'Deliveries' }).getAttribute('href')).toBe('#/deliveries?tenant=globex');
    await nav.getByRole('link', { name: 'Deliveries' }).click();
    await seeView('Deliveries');
    await expectText(rowsOf('0 deliveries on this page'), 'Nothing here yet.');
    await page().goBack();
    await seeView('Endpoints');
    await expectText(rowsOf('1 endpoints on this page'), 'globex');
    expect(await tenantField.inputValue()).toBe('globex');

    // A deep link shows what its sender saw: acme's endpoints, two a page; both cursors keep the tenant.
    const acmeUrls: string[] = (await gw.request('GET', '/v1/webhooks?tenant=acme', undefined, { token: gw.adminToken() })).body.data.map((e: { url: string }) => e.url);
    expect(acmeUrls).toHaveLength(3);
    const shownUrls = async (rows: number) => rowsOf(`${rows} endpoints on this page`).locator('td:first-child > a').allTextContents();
    await open('endpoints?tenant=acme&limit=2');
    await seeView('Endpoints');
    expect(await tenantField.inputValue()).toBe('acme');
    expect(await shownUrls(2)).toEqual(acmeUrls.slice(0, 2));
    await page().getByRole('link', { name: 'Older endpoints' }).click();
    await expectText(rowsOf('1 endpoints on this page'), acmeUrls[2]);
    expect(page().url()).toMatch(/tenant=acme/);
    await seeView('Endpoints');
    await page().getByRole('link', { name: 'Newer endpoints' }).click();
    await expectText(rowsOf('2 endpoints on this page'), acmeUrls[0]);
    expect(await shownUrls(2)).toEqual(acmeUrls.slice(0, 2));
    await page().getByText('Newest page').waitFor();
    await page().goBack();
    await expectText(rowsOf('1 endpoints on this page'), acmeUrls[2]);

    // A detail page opened with another tenant's filter shows none of it, and links to it under its own.
    await open(`endpoints/${endpointId}?tenant=globex`);
    await seeView(`Endpoint ${receiver.url}`);
    await expectText(page().locator('#other-tenant'), 'belongs to tenant acme, not to tenant globex');
    expect(await page().locator('#endpoint-facts').count()).toBe(0);
    await page().getByRole('link', { name: 'Open it under tenant acme' }).click();
    await expectText(page().locator('#endpoint-facts'), 'acme');
    expect(page().url()).toMatch(new RegExp(`#/endpoints/${endpointId}\\?tenant=acme$`));
    await open(`deliveries/${failed.id}?tenant=globex`);
    await seeView(`Delivery ${failed.id}`);
    await expectText(page().locator('#other-tenant'), 'belongs to tenant acme');
    expect(await page().locator('#delivery-facts').count()).toBe(0);

    await open('deliveries?tenant=globex');
    await tenantField.fill('');
    await page().getByRole('button', { name: 'Apply tenant' }).click();
    await arriveAt(/#\/deliveries$/);
    await expectText(rowsOf(/deliveries on this page/), failed.id);
  }, 60_000);

  it('works by keyboard and at 390 px wide on every view', async () => {
    const attemptId = (await gw.request('GET', `/v1/deliveries/${failed.id}`, undefined, { token: acme() })).body.attempts[0].id;
    await page().setViewportSize({ width: 390, height: 844 });
    try {
      const views: [string, string | RegExp][] = [
        ['', 'Overview'],
        ['deliveries', 'Deliveries'],
        [`deliveries/${failed.id}`, `Delivery ${failed.id}`],
        [`deliveries/${failed.id}/attempts/${attemptId}`, `Attempt 1 of delivery ${failed.id}`],
        ['events', 'Events'],
        [`events/${failed.eventId}`, `Event ${failed.eventId}`],
        ['endpoints', 'Endpoints'],
        [`endpoints/${endpointId}`, `Endpoint ${receiver.url}`],
        ['endpoints/new', 'New endpoint'],
        [`endpoints/${endpointId}/edit`, 'Edit endpoint'],
        ['audit', 'Audit log'],
        ['no-such-view', 'Not found'],
      ];
      for (const [hash, title] of views) {
        await open(hash);
        await seeView(title);
        expect({ hash, width: await inPage<number>('document.documentElement.scrollWidth') }).toEqual({ hash, width: 390 });
      }
      // Keyboard only: the nav is made of real links, and the new view's heading takes the focus.
      await page().getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Events' }).focus();
      await page().keyboard.press('Enter');
      await seeView('Events');
      expect(await inPage('document.activeElement.textContent')).toBe('Events');
      await page().keyboard.press('Tab');
      expect(await inPage('document.activeElement.id')).toBe('filter-type');
    } finally {
      await page().setViewportSize({ width: 1280, height: 900 });
    }
  }, 60_000);

  it('signs in with client credentials and is sent back to sign-in when the token is refused', async () => {
    const client = await gw.request('POST', '/v1/clients', { name: 'console-user', scopes: ['webhooks:read', 'deliveries:read'] }, { token: gw.adminToken() });
    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().getByLabel('Client id').fill(client.body.clientId);
    await page().getByLabel('Client secret').fill(client.body.clientSecret);
    await page().getByRole('button', { name: 'Sign in with client' }).click();
    await seeView('Overview');

    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().getByLabel('Access token').fill('not-a-token');
    await page().getByRole('button', { name: 'Sign in with token' }).click();
    await expectText(page().getByRole('alert'), 'sign in again');
    await seeView('Sign in');
    expect(browser.takeErrors([/status of 401/])).toEqual([]);
  });
});
