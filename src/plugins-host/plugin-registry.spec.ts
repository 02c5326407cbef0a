import { WebhookPluginMetadata } from '../sdk/plugin';
import { WebhookPlugin } from '../sdk/webhook-plugin';
import { eventTypeRefusal, PluginRegistry, takesEventType } from './plugin-registry';

const base: WebhookPluginMetadata = {
  key: 'shop',
  title: 'Shop',
  routePrefix: 'shop',
  eventTypes: [{ type: 'order.paid', description: 'An order was paid' }],
  sampleEvent: () => ({ type: 'order.paid', data: {} }),
  errors: { render: (error) => ({ body: { message: error.message } }), schema: { type: 'object' } },
};

/** The registered plugin for one declaration. */
function registered(metadata: WebhookPluginMetadata) {
  class DeclaredPlugin {}
  WebhookPlugin(metadata)(DeclaredPlugin);
  return new PluginRegistry([DeclaredPlugin]).find(metadata.key)!;
}

describe('event types a plugin takes', () => {
  it('a closed catalogue (no acceptsEventType) takes only the types it lists, and says which', () => {
    const plugin = registered(base);
    expect(takesEventType(plugin, 'order.paid')).toBe(true);
    expect(takesEventType(plugin, 'order.refunded')).toBe(false);
    expect(eventTypeRefusal(plugin, 'order.refunded')).toBe('type must be one of the shop event types: order.paid');
  });

  it('an open catalogue also takes what acceptsEventType accepts, never the gateway\'s own hookgate.* types', () => {
    const plugin = registered({ ...base, acceptsEventType: (type) => type.startsWith('order.') || type.startsWith('hookgate.') });
    expect(takesEventType(plugin, 'order.refunded')).toBe(true);
    expect(takesEventType(plugin, 'cart.updated')).toBe(false);
    expect(eventTypeRefusal(plugin, 'cart.updated')).toBe('type cart.updated is not one the shop plugin accepts');
    expect(takesEventType(plugin, 'hookgate.endpoint.disabled')).toBe(false);
    expect(eventTypeRefusal(plugin, 'hookgate.endpoint.disabled')).toBe("type must not start with hookgate. (the gateway's own event types)");
  });

  it('a declaration whose acceptsEventType is not a function stops start-up', () => {
    expect(() => registered({ ...base, acceptsEventType: true as never })).toThrow(/DeclaredPlugin: acceptsEventType must be a function/);
  });
});
