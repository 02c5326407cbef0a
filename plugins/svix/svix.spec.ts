import { NotFoundError, uuidv7, ValidationFailedError } from '../../src/sdk';
import type { EndpointView, PluginEvent } from '../../src/sdk';
import { svixErrors } from './svix.errors';
import { attemptId, attemptOf, eventIdOf, messageId } from './svix.ids';
import { acceptsMessage, pageInMemory, signingSecretOf, toEndpointChange } from './svix.mapper';
import { EndpointIn, MessageIn } from './svix.schemas';

const endpoint = (metadata: Record<string, unknown>): EndpointView =>
  ({ id: 'ep_1', plugin: 'svix', tenant: 't', url: 'https://example.com', eventTypes: [], filters: [], description: '', metadata, headers: {}, auth: null, timeoutMs: null, rateLimitPerSecond: null, enabled: true, disabledBy: null, disabledReason: null, createdAt: 0, updatedAt: 0, deletedAt: null }) as EndpointView;
const event = (context: Record<string, unknown> | null): PluginEvent => ({ id: uuidv7(), tenant: 't', type: 'user.signup', data: {}, context, createdAt: 0 });

describe('svix plugin', () => {
  it('spells core ids as Svix ids and back; anything else is no id', () => {
    const id = uuidv7();
    expect(eventIdOf(messageId(id))).toBe(id);
    expect(attemptOf(attemptId(id, 3))).toEqual({ deliveryId: id, number: 3 });
    expect([eventIdOf('msg_nope'), eventIdOf(id), attemptOf('atmpt_x_1'), attemptOf(attemptId(id, 0))]).toEqual([null, null, null, null]);
  });

  it("renders validation as Svix's 422 {detail: [{loc, msg, type}]}, other errors as {code, detail}", () => {
    let issues: ValidationFailedError | undefined;
    try {
      EndpointIn.parse({ url: 'nope', filterTypes: [] });
    } catch (err) {
      issues = err as ValidationFailedError;
    }
    expect(svixErrors.render(issues!)).toEqual({
      status: 422,
      body: {
        detail: [
          { loc: ['body', 'url'], msg: 'invalid url', type: 'value_error.url' },
          { loc: ['body', 'filterTypes'], msg: 'ensure this value has at least 1 items', type: 'value_error.too_small' },
        ],
      },
    });
    expect(svixErrors.render(new ValidationFailedError([{ path: ['cursor'], code: 'invalid', message: 'cursor is not a cursor this API returned' }])).body).toEqual({ detail: [{ loc: ['query', 'iterator'], msg: 'cursor is not a cursor this API returned', type: 'value_error.invalid' }] });
    expect(svixErrors.render(new NotFoundError('Application app_1 not found'))).toEqual({ body: { code: 'not_found', detail: 'Application app_1 not found' } });
  });

  it("refuses the gateway's own hookgate.* event types where the message names its type", () => {
    expect(() => MessageIn.parse({ eventType: 'hookgate.endpoint.disabled', payload: {} })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: ['eventType'], message: 'hookgate.* event types are reserved by the gateway' })] }));
  });

  it("fans out to the message's application only, and to channel endpoints only with a shared channel", () => {
    expect(acceptsMessage(endpoint({ application: 'app_a' }), event({ application: 'app_a' }))).toBe(true);
    expect(acceptsMessage(endpoint({ application: 'app_a' }), event({ application: 'app_b' }))).toBe(false);
    expect(acceptsMessage(endpoint({}), event(null))).toBe(true);
    expect(acceptsMessage(endpoint({ application: 'app_a', channels: ['c1'] }), event({ application: 'app_a', channels: ['c2', 'c1'] }))).toBe(true);
    expect(acceptsMessage(endpoint({ application: 'app_a', channels: ['c1'] }), event({ application: 'app_a' }))).toBe(false);
  });

  it("patches only what is named, reading the older clients' spellings, and keeps the application", () => {
    const current = endpoint({ application: 'app_a', uid: 'u', channels: ['c'], version: 1, metadata: { k: 'v' } });
    expect(toEndpointChange(current, { filterTypes: ['a.b'], rateLimit: 3, channels: null })).toEqual({ metadata: { application: 'app_a', uid: 'u', channels: null, version: 1, metadata: { k: 'v' } }, eventTypes: ['a.b'], rateLimitPerSecond: 3 });
    expect(signingSecretOf('QUJDREVGR0hJSktMTU5PUFFSU1RVVldY')).toBe('whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY');
  });

  it('pages a list in memory after the iterator; an unknown iterator ends the walk', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ id }));
    expect(pageInMemory(items, 2, undefined)).toEqual({ data: [{ id: 'a' }, { id: 'b' }], iterator: 'b', prevIterator: null, done: false });
    expect(pageInMemory(items, 2, 'b')).toEqual({ data: [{ id: 'c' }], iterator: null, prevIterator: null, done: true });
    expect(pageInMemory(items, 2, 'gone')).toMatchObject({ data: [], done: true });
  });
});
