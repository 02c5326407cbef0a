import { BadRequestError, NotFoundError, ValidationFailedError } from '../../src/sdk';
import type { Schema, ValidationIssue } from '../../src/sdk';
import { validateCaliperEvent } from './caliper.delivery';
import { caliperErrors } from './caliper.errors';
import { CaliperFilterBody, CaliperSensorEnvelope, CaliperWebhookBody } from './caliper.schemas';
import { zod3Issue } from './caliper.zod3';

/** What zod 4 says about a value, as the core hands it to the renderer. */
function issuesOf(declared: Schema, value: unknown): ValidationIssue[] {
  try {
    declared.parse(value);
  } catch (err) {
    if (err instanceof ValidationFailedError) return err.issues;
    throw err;
  }
  throw new Error('expected the value to be refused');
}
const zod3 = (declared: Schema, value: unknown) => issuesOf(declared, value).map(zod3Issue);

const webhook = { name: 'My Webhook', description: null, targetUrl: 'https://example.com/hook', secret: 'secret123', active: true };
const filter = { webhookId: 'w1', filterKey: 'actor.id', filterValue: 'x', filterType: 'string', filterOperation: 'eq', active: true };
const event = { id: 'urn:uuid:1', type: 'NavigationEvent', actor: 'https://example.edu/users/1', action: 'NavigatedTo', object: 'https://example.edu/pages/2', eventTime: '2018-11-15T10:15:00.000Z' };
const envelope = (data: unknown[]) => ({ sensor: 'https://example.edu/sensors/1', sendTime: '2018-11-15T10:15:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1', data });

describe('Caliper bodies: zod 4 validates, the answer is zod 3 issues as the seed shows them', () => {
  it.each([
    ['a missing field', CaliperWebhookBody, { ...webhook, name: undefined }, { code: 'invalid_type', expected: 'string', received: 'undefined', path: ['name'], message: 'Required' }],
    ['a wrong type', CaliperWebhookBody, { ...webhook, active: 'yes' }, { code: 'invalid_type', expected: 'boolean', received: 'string', path: ['active'], message: 'Expected boolean, received string' }],
    ['no body', CaliperWebhookBody, undefined, { code: 'invalid_type', expected: 'object', received: 'undefined', path: [], message: 'Required' }],
    [
      'a string too short',
      CaliperWebhookBody,
      { ...webhook, name: '' },
      { code: 'too_small', expected: 'string with at least 1 character(s)', received: '0 character(s)', minimum: 1, type: 'string', inclusive: true, path: ['name'], message: 'String must contain at least 1 character(s)' },
    ],
    [
      'a string too long',
      CaliperWebhookBody,
      { ...webhook, name: 'n'.repeat(300) },
      { code: 'too_big', expected: 'string with at most 255 character(s)', received: '300 character(s)', maximum: 255, type: 'string', inclusive: true, path: ['name'], message: 'String must contain at most 255 character(s)' },
    ],
    ['a bad URL', CaliperWebhookBody, { ...webhook, targetUrl: 'not a url' }, { code: 'invalid_string', validation: 'url', expected: 'url', received: 'string', path: ['targetUrl'], message: 'Invalid url' }],
    ['an enum of another type', CaliperFilterBody, { ...filter, filterType: 5 }, { code: 'invalid_type', expected: 'string', received: 'number', path: ['filterType'], message: 'Expected string, received number' }],
    [
      'a value outside an enum',
      CaliperFilterBody,
      { ...filter, filterType: 'date' },
      { code: 'invalid_enum_value', expected: "'string' | 'number' | 'boolean'", received: 'date', options: ['string', 'number', 'boolean'], path: ['filterType'], message: "Invalid enum value. Expected 'string' | 'number' | 'boolean', received 'date'" },
    ],
    ['a bad datetime', CaliperSensorEnvelope, { ...envelope([event]), sendTime: 'yesterday' }, { code: 'invalid_string', validation: 'datetime', expected: 'ISO 8601 datetime', received: 'string', path: ['sendTime'], message: 'Invalid datetime' }],
    [
      'an empty envelope',
      CaliperSensorEnvelope,
      envelope([]),
      { code: 'too_small', expected: 'array with at least 1 element(s)', received: '0 element(s)', minimum: 1, type: 'array', inclusive: true, path: ['data'], message: 'Array must contain at least 1 element(s)' },
    ],
    [
      'an envelope too large',
      CaliperSensorEnvelope,
      envelope(Array.from({ length: 1001 }, () => event)),
      { code: 'too_big', expected: 'array with at most 1000 element(s)', received: '1001 element(s)', maximum: 1000, type: 'array', inclusive: true, path: ['data'], message: 'Array must contain at most 1000 element(s)' },
    ],
    ['an empty entity IRI', CaliperSensorEnvelope, envelope([{ ...event, actor: '' }]), { code: 'invalid_type', expected: 'string | object', received: 'string', path: ['data', '0', 'actor'], message: 'Expected string | object, received string' }],
    ['a missing entity reference', CaliperSensorEnvelope, envelope([{ ...event, object: undefined }]), { code: 'invalid_type', expected: 'string | object', received: 'undefined', path: ['data', '0', 'object'], message: 'Required' }],
    [
      'a JSON-LD context of another type',
      CaliperSensorEnvelope,
      envelope([{ ...event, '@context': true }]),
      { code: 'invalid_type', expected: 'string | object | array', received: 'boolean', path: ['data', '0', '@context'], message: 'Expected string | object | array, received boolean' },
    ],
    ['an entity describe without an id', CaliperSensorEnvelope, envelope([{ type: 'Person' }]), { code: 'invalid_type', expected: 'string', received: 'undefined', path: ['data', '0', 'id'], message: 'Required' }],
  ] as const)('%s', (_what, declared, value, expected) => {
    expect(zod3(declared, value)).toEqual([expected]);
  });

  it('reports every issue of a body, in the order of its fields', () => {
    expect(zod3(CaliperWebhookBody, { sensor: 5 }).map((issue) => issue.path.join('.'))).toEqual(['sensor', 'name', 'description', 'targetUrl', 'secret', 'active']);
  });

  it('never carries a refused value but an option, only its type or length', () => {
    const secret = 's'.repeat(1025);
    const rendered = JSON.stringify(caliperErrors.render(new ValidationFailedError(issuesOf(CaliperWebhookBody, { ...webhook, secret })), { method: 'POST', path: '/caliper/webhooks' }));
    expect(rendered).toContain('1025 character(s)');
    expect(rendered).not.toContain(secret);
  });

  it('drops the keys a body does not name, but keeps the envelope items exactly as sent', () => {
    expect(CaliperWebhookBody.parse({ ...webhook, id: 'chosen', color: 'red' })).toEqual(webhook);
    const sent = { ...event, extensions: { note: 'kept' }, 'ext:vendor': [1, null] };
    const parsed = CaliperSensorEnvelope.parse({ ...envelope([sent]), unknown: 1 });
    expect(parsed).not.toHaveProperty('unknown');
    expect(parsed.data[0]).toBe(sent);
  });
});

describe('caliperErrors', () => {
  const invalid = new ValidationFailedError(issuesOf(CaliperFilterBody, { ...filter, active: undefined }));

  it('answers a 400 on webhook and event routes with {error, details}', () => {
    expect(caliperErrors.render(invalid, { method: 'POST', path: '/caliper/webhooks' }).body).toEqual({
      error: 'Invalid request data',
      details: [{ code: 'invalid_type', expected: 'boolean', received: 'undefined', path: ['active'], message: 'Required' }],
    });
    expect(caliperErrors.render(new BadRequestError('Request body is not valid JSON'), { method: 'POST', path: '/caliper/events' }).body).toEqual({ error: 'Request body is not valid JSON', details: [] });
  });

  it('answers a 400 on filter routes, and every other error, with the status envelope', () => {
    expect(caliperErrors.render(invalid, { method: 'PUT', path: '/caliper/webhook-filters/f1' }).body).toEqual({ status: 'error', message: 'Invalid filter data', errors: { active: 'Required' } });
    expect(caliperErrors.render(new NotFoundError('Webhook w1 not found')).body).toEqual({ status: 'error', message: 'Webhook w1 not found', errors: null });
  });

  it('documents each route\'s 400 in the shape it answers', () => {
    const describe = caliperErrors.describe!.bind(caliperErrors);
    expect(describe(400, { operationId: 'caliperUpdateWebhookFilter', method: 'put', path: '/caliper/webhook-filters/{id}' })?.schema).toMatchObject({ required: ['status', 'message', 'errors'] });
    expect(describe(400, { operationId: 'caliperCreateWebhook', method: 'post', path: '/caliper/webhooks' })?.schema).toMatchObject({ required: ['error', 'details'] });
    expect(describe(401, { operationId: 'caliperListWebhooks', method: 'get', path: '/caliper/webhooks' })?.description).toBe('Missing, expired or invalid bearer token');
  });
});

describe('events published through /v1 for the plugin', () => {
  it('are checked as Caliper events, with zod 3 messages under data', () => {
    const issues = validateCaliperEvent({ type: 'NavigationEvent', data: { ...event, eventTime: undefined }, context: { sensor: 's' } });
    expect(issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: ['data', 'eventTime'], message: 'Required' })]);
  });

  it('must name their own type and carry the sensor', () => {
    expect(validateCaliperEvent({ type: 'ViewEvent', data: event, context: null }).map((issue) => issue.path.join('.'))).toEqual(['data.type', 'context.sensor']);
  });
});
