import { api } from '../api';
import { DataTable, FilterForm, Loading, Pager, Time, useListPage, View, type FilterField } from '../components';
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
  const loaded = useListPage(route, FILTERS, api.audit);
  return (
    <View title="Audit log">
      <FilterForm route={route} title="Filter the audit log" fields={FILTERS} />
      <Loading loaded={loaded}>
        {(page) => (
          <>
            <DataTable
              caption={`${page.data.length} audit events on this page`}
              columns={['When', 'Actor', 'Tenant', 'Action', 'Target', 'Changes']}
              rows={page.data.map((a) => (
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
            <Pager page={page} route={route} noun="audit events" />
          </>
        )}
      </Loading>
    </View>
  );
}
