#!/usr/bin/env node
// Regenerates the screenshots of docs/console.md: starts the built gateway (dist/) on a throwaway
// SQLite database with a local receiver, seeds endpoints, events and deliveries through the API, and
// photographs every console view in Debian's chromium. Run it with `npm run console:screenshots`;
// `npm run console:screenshots -- endpoint attempt` rewrites only those pictures. Ids and times come
// from the gateway (the API takes no fixed ones), so every picture written differs from the last:
// name the views whose look changed to keep the others (and the git history) as they are.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const jwt = require('jsonwebtoken');
const { chromium } = require('playwright-core');

const root = join(__dirname, '..');
const outdir = join(root, 'docs', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCOPES = 'webhooks:read webhooks:write deliveries:read deliveries:write audit:read events:publish';
const RECEIVER_PORT = 47801;
/** The pictures to write (none named = all). */
const ONLY = new Set(process.argv.slice(2));

/** A receiver on 127.0.0.1: paths with "down" answer 500 while `down` is set. */
function startReceiver() {
  const state = { down: true };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const failing = state.down && req.url.includes('down');
      res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
      res.end(failing ? '{"error":"database unavailable"}' : '{"ok":true}');
    });
  });
  // A fixed port keeps the endpoint URLs in the pictures the same from run to run; any port if it is taken.
  const listen = (port) => new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}` })));
  return listen(RECEIVER_PORT).catch(() => listen(0));
}

function freePort() {
  return new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function until(check, what) {
  for (let i = 0; i < 200; i++) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookgate-screenshots-'));
  const receiver = await startReceiver();
  const port = await freePort();
  const secret = randomBytes(32).toString('base64');
  const base = `http://127.0.0.1:${port}`;
  const gateway = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite://${join(dataDir, 'hookgate.sqlite')}`,
      AUTH_JWT_SECRET: secret,
      HOOKGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
      // Retries wait 10× the schedule: the failed deliveries stay failed while the pictures are taken.
      DELIVERY_TIME_SCALE: '10',
      // The engine disables an endpoint at its fifth failed attempt in a row: "legacy" gets there, "crm" does not.
      DELIVERY_DISABLE_AFTER_MS: '0',
      DELIVERY_DISABLE_MIN_FAILURES: '5',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let browser;
  try {
    await until(async () => (await fetch(`${base}/health/ready`)).ok, 'the gateway');
    const token = jwt.sign({ scope: SCOPES, tenant: 'acme' }, secret, { algorithm: 'HS256', subject: 'alice', expiresIn: 600 });
    const call = async (method, path, body) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };

    const billing = await call('POST', '/v1/webhooks', { url: `${receiver.url}/billing`, eventTypes: ['invoice.paid', 'invoice.refunded'], description: 'Billing service', headers: { 'X-Team': 'billing' } });
    const crm = await call('POST', '/v1/webhooks', { url: `${receiver.url}/crm-down`, eventTypes: ['invoice.paid'], description: 'CRM sync' });
    const legacy = await call('POST', '/v1/webhooks', { url: `${receiver.url}/legacy-down`, description: 'Legacy ERP (retired host)' });
    for (let i = 1; i <= 6; i++) await call('POST', '/v1/events', { type: i % 3 ? 'invoice.paid' : 'invoice.refunded', data: { invoice: `inv_${1000 + i}`, amount: 1250 * i, currency: 'EUR' } });
    const failed = await until(async () => {
      const page = await call('GET', `/v1/deliveries?endpointId=${crm.id}&status=failed`);
      return page.data.length === 4 ? page.data[0] : undefined;
    }, 'the failed deliveries');
    await until(async () => (await call('GET', `/v1/deliveries?endpointId=${billing.id}&status=succeeded`)).data.length === 6, 'the succeeded deliveries');
    await until(async () => !(await call('GET', `/v1/webhooks/${legacy.id}`)).enabled, 'the auto-disable of legacy');
    await call('POST', `/v1/webhooks/${billing.id}/disable`);
    await call('POST', `/v1/webhooks/${billing.id}/enable`);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    // Times are shown in the browser's zone and locale: fixed, so a picture does not depend on the machine.
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, timezoneId: 'UTC', locale: 'en-GB' });
    await page.goto(`${base}/console`);
    mkdirSync(outdir, { recursive: true });
    const shoot = async (name, hash, fullPage = false) => {
      if (ONLY.size && !ONLY.has(name)) return;
      if (hash !== undefined) await page.goto(`${base}/console#/${hash}`);
      await page.locator('h2').first().waitFor();
      await page.getByText('Loading…').first().waitFor({ state: 'detached' });
      await page.screenshot({ path: join(outdir, `${name}.png`), fullPage });
      console.log(`docs/console/${name}.png`);
    };
    await shoot('sign-in');
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await shoot('overview', '');
    await shoot('deliveries', 'deliveries?status=failed');
    await shoot('delivery', `deliveries/${failed.id}`);
    const detail = await call('GET', `/v1/deliveries/${failed.id}`);
    await shoot('attempt', `deliveries/${failed.id}/attempts/${encodeURIComponent(detail.attempts[0].id)}`);
    await shoot('events', 'events');
    await shoot('event', `events/${failed.eventId}`);
    await shoot('endpoints', 'endpoints');
    await shoot('endpoint', `endpoints/${crm.id}`, true);
    await shoot('endpoint-auto-disabled', `endpoints/${legacy.id}`);
    if (!ONLY.size || ONLY.has('endpoint-form')) {
      await page.goto(`${base}/console#/endpoints/new`);
      await page.getByLabel('URL').fill('https://erp.example.com/hooks');
      await page.getByLabel('Plugin').selectOption('generic');
      await page.getByRole('checkbox', { name: /^data\.created/ }).check();
      await page.getByRole('checkbox', { name: /^data\.updated/ }).check();
      await shoot('endpoint-form');
    }
    await shoot('audit', 'audit');
    await page.setViewportSize({ width: 390, height: 760 });
    await shoot('mobile-endpoint', `endpoints/${billing.id}`);
  } finally {
    await browser?.close();
    if (gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    receiver.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
