import type { DeliveryProfile } from '../../src/sdk';
import type { GenericAuth } from './generic.schemas';
import { authOf } from './generic.mapper';

/** The header that carries the hook's credential on every attempt (none for `none` and `querystring`). */
export function credentialHeaders(auth: GenericAuth): Record<string, string> {
  switch (auth.authType) {
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${auth.userName}:${auth.password}`, 'utf8').toString('base64')}` };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
    case 'authheader':
      return { Authorization: auth.token };
    case 'header':
      return { [auth.headerName]: auth.token };
    default:
      return {};
  }
}

/**
 * The URL an attempt goes to: for `querystring`, the stored URL plus `<queryParam>=<token>`,
 * appended so the existing query stays byte for byte. The token is never stored in the URL.
 */
export function deliveryUrl(url: string, auth: GenericAuth): string {
  if (auth.authType !== 'querystring') return url;
  const target = new URL(url);
  const credential = `${encodeURIComponent(auth.queryParam)}=${encodeURIComponent(auth.token)}`;
  target.search = target.search ? `${target.search}&${credential}` : `?${credential}`;
  return target.toString();
}

/** Body = the event's data as published; the core adds the Standard Webhooks headers and retries. */
export const genericDelivery: DeliveryProfile = {
  envelope: (event) => event.data,
  headers: (ctx) => credentialHeaders(authOf(ctx.endpoint)),
  target: (endpoint) => deliveryUrl(endpoint.url, authOf(endpoint)),
};
