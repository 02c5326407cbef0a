import { DeliveryProfile, standardSignature } from '../../src/sdk';
import { messageId } from './svix.ids';

/**
 * As Svix sends a message: the payload as the body; `svix-id` is the message id (the same on every
 * retry and for every endpoint, so receivers dedupe on it), `svix-signature` signs
 * `<svix-id>.<svix-timestamp>.<body>` with each current secret as Standard Webhooks does. The core
 * adds the `webhook-*` headers (its `webhook-id` is the delivery's id) and the endpoint's headers.
 */
export const svixDelivery: DeliveryProfile = {
  envelope: (event) => event.data,
  headers: (ctx) => {
    const id = messageId(ctx.event.id);
    return { 'svix-id': id, 'svix-timestamp': String(ctx.timestamp), 'svix-signature': standardSignature(ctx.secrets, id, ctx.timestamp, ctx.body) };
  },
  // Svix's schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. Every failure retries.
  retry: { schedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'] },
};
