import { api } from '../api';
import { DataTable, ListPage, Time, View, type FilterField } from '../components';
import type { Route } from '../router';

const FILTERS: FilterField[] = [
  { name: 'actor', label: 'Actor' },
  { name: 'action', label: 'Action' },
  { name: 'target', label: 'Target id' },
  { name: 'since', label: 'Since', type: 'datetime-local' },
  { name: 'until', label: 'Until', type: 'datetime-local' },
];

/** Who changed what, newest first, filtered by the URL's parameters. */
export function AuditView({ route }: { route: Route }) {
  return (
    <View title="Audit log">
      <ListPage
        route={route}
        filters={FILTERS}
        filterTitle="Filter the audit log"
        load={api.audit}
        noun="audit events"
        table={(events, caption) => (
          <DataTable
            caption={caption}
            columns={['When', 'Actor', 'Tenant', 'Action', 'Target', 'Changes']}
            rows={events.map((a) => (
              <tr>
                <td>
                  <Time iso={a.at} />
                </td>
                <td>{a.actor}</td>
                <td>{a.tenant}</td>
                <td>{a.action}</td>
                <td class="mono">{a.target}</td>
                <td class="mono">{a.changes ? JSON.stringify(a.changes) : '—'}</td>
              </tr>
            ))}
          />
        )}
      />
    </View>
  );
}
