import { cursorOf, NotFoundError, uuidv7, ValidationFailedError } from '../../src/sdk';
import type { EndpointView, PluginEvent } from '../../src/sdk';
import { svixErrors } from './svix.errors';
import { attemptId, coreAttemptIdOf, eventIdOf, messageId } from './svix.ids';
import { acceptsMessage, headersOut, ownKey, pageRequest, signingSecretOf, toEndpointChange, toListResponse } from './svix.mapper';
import { svixEndpointRules } from './svix.rules';
import { EndpointIn, MessageIn } from './svix.schemas';

const endpoint = (group: string | null, metadata: Record<string, unknown> = {}): EndpointView =>
  ({ id: 'ep_1', plugin: 'svix', tenant: 't', url: 'https://example.com', eventTypes: [], filters: [], description: '', metadata, group, headers: {}, auth: null, timeoutMs: null, rateLimitPerSecond: null, enabled: true, disabledBy: null, disabledReason: null, createdAt: 0, updatedAt: 0, deletedAt: null }) as EndpointView;
const event = (context: Record<string, unknown> | null): PluginEvent => ({ id: uuidv7(), tenant: 't', type: 'user.signup', data: {}, context, createdAt: 0 });

describe('svix plugin', () => {
  it('spells core ids as Svix ids and back; anything else is no id', () => {
    const id = uuidv7();
    expect(eventIdOf(messageId(id))).toBe(id);
    expect(coreAttemptIdOf(attemptId(id))).toBe(id);
    expect([eventIdOf('msg_nope'), eventIdOf(id), coreAttemptIdOf('atmpt_x'), coreAttemptIdOf(messageId(id))]).toEqual([null, null, null, null]);
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
    expect(acceptsMessage(endpoint('app_a'), event({ application: 'app_a' }))).toBe(true);
    expect(acceptsMessage(endpoint('app_a'), event({ application: 'app_b' }))).toBe(false);
    expect(acceptsMessage(endpoint(null), event(null))).toBe(true);
    expect(acceptsMessage(endpoint(null), event({ application: 'app_a' }))).toBe(false);
    expect(acceptsMessage(endpoint('app_a'), event(null))).toBe(false);
    expect(acceptsMessage(endpoint('app_a', { channels: ['c1'] }), event({ application: 'app_a', channels: ['c2', 'c1'] }))).toBe(true);
    expect(acceptsMessage(endpoint('app_a', { channels: ['c1'] }), event({ application: 'app_a' }))).toBe(false);
  });

  it("patches only what is named, reading the older clients' spellings, and keeps the application", () => {
    const current = endpoint('app_a', { uid: 'u', channels: ['c'], version: 1, metadata: { k: 'v' } });
    expect(toEndpointChange(current, { filterTypes: ['a.b'], rateLimit: 3, channels: null })).toEqual({ metadata: { uid: 'u', channels: null, version: 1, metadata: { k: 'v' } }, eventTypes: ['a.b'], rateLimitPerSecond: 3 });
    expect(signingSecretOf('QUJDREVGR0hJSktMTU5PUFFSU1RVVldY')).toBe('whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY');
  });

  it("walks both ways with Svix's iterators: a '-' iterator reads back from the first item and turns the page round", () => {
    expect(pageRequest({ limit: 2 }, 'asc')).toEqual({ page: { limit: 2, cursor: undefined, order: 'asc' }, backwards: false });
    expect(pageRequest({ iterator: 'abc', order: 'descending' }, 'asc')).toEqual({ page: { limit: undefined, cursor: 'abc', order: 'desc' }, backwards: false });
    const back = pageRequest({ iterator: '-abc' }, 'desc');
    expect(back).toEqual({ page: { limit: undefined, cursor: 'abc', order: 'asc' }, backwards: true });
    const rows = [{ id: 'b', createdAt: 2 }, { id: 'c', createdAt: 3 }];
    const response = toListResponse({ data: rows, nextCursor: null, prevCursor: null }, back, ownKey, (row) => row.id);
    expect(response).toMatchObject({ data: ['c', 'b'], done: true });
    expect([response.prevIterator, response.iterator]).toEqual([`-${cursorOf(rows[1])}`, cursorOf(rows[0])]);
    expect(toListResponse({ data: [], nextCursor: null, prevCursor: null }, back, ownKey, (row) => row)).toEqual({ data: [], iterator: null, prevIterator: null, done: true });
    // Only `after` a time: read from that end, shown newest first (Svix's time-bounded lists).
    expect(pageRequest({ after: 5 }, 'desc')).toEqual({ page: { limit: undefined, cursor: undefined, order: 'asc' }, backwards: true });
    expect(pageRequest({ after: 5, before: 9 }, 'desc').backwards).toBe(false);
  });

  it('shows sensitive headers by name only, as Svix does', () => {
    expect(headersOut({ Authorization: 'Bearer x', 'X-Api-Key': 'k', 'X-Team': 'billing' })).toEqual({ headers: { 'X-Team': 'billing' }, sensitive: ['Authorization', 'X-Api-Key'] });
  });

  it('refuses a uid taken in the same application only', () => {
    const change = (e: EndpointView, siblings: EndpointView[] = []) => () => svixEndpointRules({ endpoint: e, siblings });
    expect(change(endpoint('app_a', { uid: 'u' }), [{ ...endpoint('app_a', { uid: 'u' }), id: 'ep_2' }])).toThrow(/already exists/);
    expect(change(endpoint('app_a', { uid: 'u' }), [{ ...endpoint('app_b', { uid: 'u' }), id: 'ep_2' }])).not.toThrow();
  });
});
