import { useEffect } from 'preact/hooks';
import { isAdmin, tokenClaims } from './api';
import { View } from './components';
import { clearFeedback, signOut, useFeedback, useSession } from './feedback';
import { hereWith, href, navigate, useRoute, type Route } from './router';
import { AuditView } from './views/audit';
import { AttemptView, DeliveryView } from './views/delivery';
import { DeliveriesView } from './views/deliveries';
import { EndpointView } from './views/endpoint';
import { EditEndpointView, EndpointsView, NewEndpointView } from './views/endpoints';
import { EventsView, EventView } from './views/events';
import { OverviewView } from './views/overview';
import { SignInView } from './views/sign-in';

const NAV: [string, string][] = [
  ['', 'Overview'],
  ['deliveries', 'Deliveries'],
  ['events', 'Events'],
  ['endpoints', 'Endpoints'],
  ['audit', 'Audit log'],
];

/** The view for a URL (App remounts it on a new path or tenant filter, so no state carries over, e.g. a shown secret). */
function routeView(route: Route) {
  const [section, id, sub, subId] = route.path;
  switch (section) {
    case undefined:
      return <OverviewView />;
    case 'deliveries':
      if (id && sub === 'attempts' && subId) return <AttemptView deliveryId={id} attemptId={subId} />;
      return id ? <DeliveryView id={id} /> : <DeliveriesView route={route} />;
    case 'events':
      return id ? <EventView id={id} /> : <EventsView route={route} />;
    case 'endpoints':
      if (id === 'new') return <NewEndpointView />;
      if (id && sub === 'edit') return <EditEndpointView id={id} />;
      return id ? <EndpointView id={id} /> : <EndpointsView route={route} />;
    case 'audit':
      return <AuditView route={route} />;
    default:
      return (
        <View title="Not found">
          <p>
            The console has no view at this address. <a href={href('')}>Go to the overview</a>.
          </p>
        </View>
      );
  }
}

/**
 * An admin token sees every tenant; this narrows every list and figure to one. The filter is the
 * URL's `tenant` parameter: applying it opens the same view for that tenant, from its first page.
 */
function TenantFilter({ route }: { route: Route }) {
  const submit = (event: Event) => {
    event.preventDefault();
    const tenant = String(new FormData(event.currentTarget as HTMLFormElement).get('tenant') ?? '').trim();
    navigate(hereWith({ cursor: undefined, tenant }));
  };
  return (
    // Uncontrolled, reset by the key when the URL's tenant changes (the back button, a link).
    <form class="tenant" role="search" aria-label="Tenant filter" onSubmit={submit} key={route.params.tenant ?? ''}>
      <label for="tenant-filter">Tenant</label>
      <input id="tenant-filter" name="tenant" defaultValue={route.params.tenant ?? ''} placeholder="all tenants" />
      <button type="submit">Apply tenant</button>
    </form>
  );
}

export function App() {
  const token = useSession();
  const route = useRoute();
  const feedback = useFeedback();
  const section = route.path[0] ?? '';
  // An error belongs to the view it happened in: a change of view clears it.
  useEffect(() => {
    if (feedback.alert) clearFeedback();
  }, [route]);
  const claims = token ? tokenClaims(token) : null;
  return (
    <>
      <a class="skip" href="#view-title" onClick={(e) => (e.preventDefault(), document.getElementById('view-title')?.focus())}>
        Skip to content
      </a>
      <header>
        <p class="brand">
          hookgate <span class="muted">console</span>
        </p>
        {token ? (
          <nav aria-label="Views">
            <ul>
              {NAV.map(([path, label]) => (
                <li>
                  <a href={href(path)} aria-current={section === path ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {token ? (
          <div class="who">
            <span class="muted">{isAdmin() ? (route.params.tenant ? `admin, showing tenant ${route.params.tenant}` : 'admin: every tenant') : `tenant ${claims?.tenant ?? '?'}`}</span>
            {isAdmin() ? <TenantFilter route={route} /> : null}
            <button
              type="button"
              onClick={() => {
                signOut();
                navigate(href('', { tenant: undefined }));
              }}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <p id="status" role="status" aria-live="polite">
        {feedback.status}
      </p>
      <p id="alert" role="alert" hidden={!feedback.alert}>
        {feedback.alert}
      </p>
      {/* data-route: the hash this page has rendered, so scripted clients (the Chromium suite) can wait for it. */}
      <main id="main" data-route={route.hash}>{token ? <div key={`${route.params.tenant ?? ''}:${route.path.join('/')}`}>{routeView(route)}</div> : <SignInView />}</main>
    </>
  );
}
