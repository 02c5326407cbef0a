import { api, session, tokenFromClient } from './api.js';

const $ = (selector) => document.querySelector(selector);
const view = () => $('#view');

/** Builds an element; children are text or nodes (text is never parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  return el;
}

function announce(message) {
  $('#status').textContent = message;
}

function showError(err) {
  const alert = $('#alert');
  alert.textContent = err.message;
  alert.hidden = false;
  if (err.status === 401) signOut();
}

function clearError() {
  $('#alert').hidden = true;
  $('#alert').textContent = '';
}

/** Response bodies and errors may echo credentials: anything shaped like one is masked. */
const SECRET_PATTERNS = [
  /whsec_[A-Za-z0-9+/=]+/g,
  /hgcs_[A-Za-z0-9_-]+/g,
  /hgk_[A-Za-z0-9_-]+/g,
  /eyJ[\w-]+\.[\w-]+\.[\w-]+/g,
  /(bearer\s+)[^\s"',]+/gi,
  /("?(?:secret|password|token|api[_-]?key|authorization)"?\s*[:=]\s*"?)[^"\s,&}]+/gi,
];
export function maskSecrets(text) {
  return SECRET_PATTERNS.reduce((masked, pattern) => masked.replace(pattern, (match, keep) => `${typeof keep === 'string' ? keep : ''}••••••`), text);
}

const badge = (status) => h('span', { class: `badge status-${status}` }, status);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

function table(caption, headers, rows) {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headers.length }, 'Nothing here yet.'))),
  );
}

/** Shows a view under its heading and moves focus there, so screen readers hear the change. */
function render(title, ...content) {
  const heading = h('h2', { tabindex: '-1' }, title);
  view().replaceChildren(heading, ...content);
  view().hidden = false;
  heading.focus();
}

/** Recent failure rate: failed and dead among the endpoint's last 50 settled deliveries. */
function failureRate(deliveries) {
  const settled = deliveries.filter((d) => ['succeeded', 'failed', 'dead'].includes(d.status));
  if (!settled.length) return 'no recent deliveries';
  const failed = settled.filter((d) => d.status !== 'succeeded').length;
  return `${failed} of ${settled.length} failed (${Math.round((100 * failed) / settled.length)}%)`;
}

async function showEndpoints() {
  announce('Loading endpoints…');
  const { data } = await api.endpoints();
  const recent = await Promise.all(data.map((e) => api.deliveries({ endpointId: e.id }).then((p) => p.data)));
  const rows = data.map((e, i) =>
    h(
      'tr',
      {},
      h('td', {}, h('div', {}, e.url), h('div', { class: 'muted' }, e.id)),
      h('td', {}, e.tenant),
      h('td', {}, e.plugin ?? 'core'),
      h('td', {}, e.enabled ? badge('enabled') : [badge('disabled'), e.disabledReason ? h('div', { class: 'muted' }, e.disabledReason) : null]),
      h('td', {}, failureRate(recent[i])),
      h('td', {}, h('a', { href: `#/endpoints/${encodeURIComponent(e.id)}`, 'aria-label': `Deliveries of ${e.url}` }, 'Deliveries')),
    ),
  );
  render('Endpoints', table(`${data.length} endpoint(s)`, ['Endpoint', 'Tenant', 'Plugin', 'Status', 'Recent failures', 'Actions'], rows));
  announce(`Showing ${data.length} endpoint(s).`);
}

async function showEndpoint(id) {
  announce('Loading deliveries…');
  const [endpoint, page] = await Promise.all([api.endpoint(id), api.deliveries({ endpointId: id })]);
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const recoverForm = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        const value = new FormData(event.target).get('since');
        act(async () => {
          const { recovered } = await api.recover(id, new Date(value).toISOString());
          return `Recovered ${recovered} delivery(ies).`;
        }, () => showEndpoint(id));
      },
    },
    h('label', { for: 'recover-since' }, 'Recover failed and dead deliveries created since'),
    h('input', { id: 'recover-since', name: 'since', value: since, required: true }),
    h('button', { type: 'submit' }, 'Recover'),
  );
  const rows = page.data.map((d) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/deliveries/${encodeURIComponent(d.id)}` }, d.id)),
      h('td', {}, badge(d.status)),
      h('td', {}, d.attemptCount),
      h('td', {}, d.lastStatusCode ?? (d.lastError ? maskSecrets(d.lastError) : '—')),
      h('td', {}, when(d.nextAttemptAt)),
      h('td', {}, when(d.createdAt)),
      h('td', {}, h('button', { type: 'button', 'aria-label': `Retry delivery ${d.id}`, onclick: () => retry(d.id, () => showEndpoint(id)) }, 'Retry')),
    ),
  );
  render(
    `Deliveries of ${endpoint.url}`,
    h(
      'p',
      {},
      'Status: ',
      endpoint.enabled ? badge('enabled') : badge('disabled'),
      endpoint.disabledReason ? ` — ${endpoint.disabledReason}` : '',
      ' ',
      endpoint.enabled ? null : h('button', { type: 'button', onclick: () => act(async () => (await api.enable(id), 'Endpoint enabled; held deliveries are being sent.'), () => showEndpoint(id)) }, 'Enable endpoint'),
      ' ',
      h('button', { type: 'button', onclick: () => act(async () => 'Refreshed.', () => showEndpoint(id)) }, 'Refresh'),
    ),
    recoverForm,
    table(`Latest ${page.data.length} deliveries`, ['Delivery', 'Status', 'Attempts', 'Last result', 'Next attempt', 'Created', 'Actions'], rows),
  );
  announce(`${page.data.length} delivery(ies), ${failureRate(page.data)}.`);
}

async function showDelivery(id) {
  const d = await api.delivery(id);
  const facts = [
    ['Status', badge(d.status)],
    ['Event', d.eventId],
    ['Endpoint', h('a', { href: `#/endpoints/${encodeURIComponent(d.endpointId)}` }, d.endpointId)],
    ['Attempts', d.attemptCount],
    ['Next attempt', when(d.nextAttemptAt)],
    ['Last error', d.lastError ? maskSecrets(d.lastError) : '—'],
  ];
  const attempts = d.attempts.map((a, i) =>
    h(
      'tr',
      {},
      h('td', {}, i + 1),
      h('td', {}, when(a.startedAt)),
      h('td', {}, a.statusCode ?? '—'),
      h('td', {}, `${a.durationMs} ms`),
      h('td', {}, a.error ? maskSecrets(a.error) : '—'),
      h('td', {}, a.responseBody ? h('pre', {}, maskSecrets(a.responseBody)) : '—'),
    ),
  );
  render(
    `Delivery ${d.id}`,
    h('dl', { id: 'delivery-facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('p', {}, h('button', { type: 'button', onclick: () => retry(d.id, () => showDelivery(d.id)) }, 'Retry delivery')),
    table('Attempts', ['#', 'Started', 'Status code', 'Duration', 'Error', 'Response'], attempts),
  );
  announce(`Delivery ${d.id} is ${d.status} after ${d.attemptCount} attempt(s).`);
}

/** Retries, then follows the delivery until its new attempt has a result (bounded). */
function retry(id, refresh) {
  return act(async () => {
    const queued = await api.retry(id);
    if (queued.status === 'held') return `Delivery ${id} is held: enable its endpoint to send it.`;
    announce(`Retry of ${id} queued…`);
    for (let i = 0; i < 30; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await api.delivery(id);
      if (now.status !== 'pending') return `Delivery ${id} ${now.status === 'succeeded' ? 'succeeded' : `is ${now.status}`}.`;
    }
    return `Delivery ${id} is still being sent.`;
  }, refresh);
}

/** Runs an action, reports its outcome in the live region, then redraws the view. */
async function act(work, redraw) {
  clearError();
  try {
    const message = await work();
    await redraw();
    announce(message);
  } catch (err) {
    showError(err);
  }
}

async function showAudit() {
  announce('Loading the audit log…');
  const page = await api.audit();
  const rows = page.data.map((a) =>
    h('tr', {}, h('td', {}, when(a.at)), h('td', {}, a.actor), h('td', {}, a.tenant), h('td', {}, a.action), h('td', {}, a.target), h('td', {}, a.plugin ?? '—'), h('td', {}, a.changes ? maskSecrets(JSON.stringify(a.changes)) : '—')),
  );
  render('Audit log', table(`Latest ${page.data.length} changes`, ['When', 'Actor', 'Tenant', 'Action', 'Target', 'Plugin', 'Changes'], rows));
  announce(`Showing ${page.data.length} audit event(s).`);
}

/** Hash routes keep the back button working: #/endpoints, #/endpoints/<id>, #/deliveries/<id>, #/audit. */
async function route() {
  const signedIn = Boolean(session.token);
  $('#sign-in').hidden = signedIn;
  $('#nav').hidden = !signedIn;
  if (!signedIn) {
    view().hidden = true;
    return;
  }
  clearError();
  const [, kind, id] = location.hash.split('/');
  try {
    if (kind === 'endpoints' && id) await showEndpoint(decodeURIComponent(id));
    else if (kind === 'deliveries' && id) await showDelivery(decodeURIComponent(id));
    else if (kind === 'audit') await showAudit();
    else await showEndpoints();
  } catch (err) {
    announce('');
    showError(err);
  }
}

function signIn(token) {
  session.token = token;
  if (location.hash === '#/endpoints') void route();
  else location.hash = '#/endpoints';
}

function signOut() {
  session.token = null;
  announce('Signed out.');
  void route();
}

$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('#token').value.trim());
  $('#token').value = '';
});

$('#client-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  try {
    signIn(await tokenFromClient($('#client-id').value.trim(), $('#client-secret').value));
    $('#client-secret').value = '';
  } catch (err) {
    showError(err);
  }
});

$('#nav').addEventListener('click', (event) => {
  const target = event.target.closest('button');
  if (!target) return;
  if (target.id === 'sign-out') signOut();
  else location.hash = `#/${target.dataset.view}`;
});

window.addEventListener('hashchange', () => void route());
void route();
