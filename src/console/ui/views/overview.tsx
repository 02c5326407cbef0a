import { api, type DeliveryStatus } from '../api';
import { DataTable, Loading, percent, useLoad, View } from '../components';
import { href } from '../router';

export const STATUSES: DeliveryStatus[] = ['pending', 'held', 'succeeded', 'failed', 'dead'];

/** Front page: deliveries by status and the endpoints failing most in the last 24 h. */
export function OverviewView() {
  const loaded = useLoad(() => api.overview(), []);
  return (
    <View title="Overview">
      <Loading loaded={loaded}>
        {(overview) => (
          <>
            <h3>Deliveries by status</h3>
            <ul class="totals">
              {STATUSES.map((status) => (
                <li>
                  <a href={href('deliveries', { status })}>
                    <span class="total">{overview.deliveriesByStatus[status]}</span> <span class={`status-${status}`}>{status}</span>
                  </a>
                </li>
              ))}
            </ul>
            <h3>Endpoints failing most (last 24 h)</h3>
            <DataTable
              caption="Endpoints failing most"
              columns={['Endpoint', 'Tenant', 'Failed attempts', 'Attempts', 'Success rate']}
              empty="No endpoint failed in the last 24 hours."
              rows={overview.failingEndpoints.map((e) => (
                <tr>
                  <td>
                    <a href={href(`endpoints/${encodeURIComponent(e.endpointId)}`)}>{e.url}</a>
                  </td>
                  <td>{e.tenant}</td>
                  <td>{e.failedAttempts24h}</td>
                  <td>{e.attempts24h}</td>
                  <td>{percent(e.successRate)}</td>
                </tr>
              ))}
            />
          </>
        )}
      </Loading>
    </View>
  );
}
