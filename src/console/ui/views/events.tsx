import { api } from '../api';
import { copyText, DataTable, Facts, ListPage, Loading, OfTenant, Time, useLoad, View, type FilterField } from '../components';
import { href, type Route } from '../router';
import { DeliveryTable } from './deliveries';

const FILTERS: FilterField[] = [
  { name: 'type', label: 'Event type' },
  { name: 'plugin', label: 'Plugin' },
  { name: 'since', label: 'Created since', type: 'datetime-local' },
  { name: 'until', label: 'Created until', type: 'datetime-local' },
];

/** Events, newest first, filtered by the URL's parameters. */
export function EventsView({ route }: { route: Route }) {
  return (
    <View title="Events">
      <ListPage
        route={route}
        filters={FILTERS}
        load={api.events}
        noun="events"
        table={(events, caption) => (
          <DataTable
            caption={caption}
            columns={['Event', 'Type', 'Plugin', 'Tenant', 'Deliveries', 'Created']}
            rows={events.map((e) => (
              <tr>
                <td>
                  <a class="mono" href={href(`events/${encodeURIComponent(e.id)}`)}>
                    {e.id}
                  </a>
                </td>
                <td>{e.type}</td>
                <td>{e.plugin ?? 'core'}</td>
                <td>{e.tenant}</td>
                <td>{e.deliveryCount}</td>
                <td>
                  <Time iso={e.createdAt} />
                </td>
              </tr>
            ))}
          />
        )}
      />
    </View>
  );
}

/** One event: its payload as formatted JSON (with a copy button) and every delivery of it. */
export function EventView({ id }: { id: string }) {
  const event = useLoad(() => api.event(id), [id]);
  const deliveries = useLoad(() => api.deliveries({ eventId: id, limit: 100 }), [id]);
  return (
    <View title={`Event ${id}`}>
      <Loading loaded={event}>
        {(e) => {
          const payload = JSON.stringify(e.data, null, 2);
          return (
            <OfTenant tenant={e.tenant} what={`Event ${e.id}`}>
              <Facts
                facts={[
                  ['Type', e.type],
                  ['Plugin', e.plugin ?? 'core'],
                  ['Tenant', e.tenant],
                  ['Created', <Time iso={e.createdAt} />],
                ]}
              />
              <div class="view-head">
                <h3>Payload</h3>
                <button type="button" onClick={() => copyText(payload, 'Payload')}>
                  Copy payload
                </button>
              </div>
              <pre class="body" tabIndex={0} aria-label="Payload">
                {payload}
              </pre>
              {e.context ? (
                <>
                  <h3>Context</h3>
                  <pre class="body" tabIndex={0} aria-label="Context">
                    {JSON.stringify(e.context, null, 2)}
                  </pre>
                </>
              ) : null}
              <h3>Deliveries of this event</h3>
              <Loading loaded={deliveries}>{(page) => <DeliveryTable caption={`${page.data.length} deliveries of this event`} deliveries={page.data} />}</Loading>
            </OfTenant>
          );
        }}
      </Loading>
    </View>
  );
}
