import { CoreError } from '../../src/sdk';
import { TIMBRIX_EVENT_TYPES } from './timbrix.catalogue';
import { timbrixErrors } from './timbrix.errors';
import { CreateWebhook, UpdateWebhook } from './timbrix.schemas';

/** What Timbrix answers for a body: 'ok', or the message array of its 400. */
function answer(schema: typeof CreateWebhook | typeof UpdateWebhook, body: unknown): 'ok' | unknown {
  try {
    schema.parse(body);
    return 'ok';
  } catch (error) {
    return (timbrixErrors.render(error as CoreError).body as { message: unknown }).message;
  }
}

const eachValue = `each value in events must be one of the following values: ${TIMBRIX_EVENT_TYPES.join(', ')}`;

describe('timbrix bodies', () => {
  const withUrl = (url: unknown) => answer(CreateWebhook, { url, events: ['member.added'] });

  it.each([
    'https://example.com/hook',
    'https://localhost:3000/x',
    'https://127.0.0.1:8443/h',
    'https://[::1]:8443/h',
    'HTTPS://EXAMPLE.COM/x',
    'https://münchen.de/x',
    'https://example.com?q=1#f',
    'https://example.com:/x',
    'https:example.com',
  ])('takes the URL %s, as class-validator did', (url) => {
    expect(withUrl(url)).toBe('ok');
  });

  it.each([
    'http://example.com',
    'example.com/hook',
    'https:/example.com',
    'https:///x',
    'https://exa mple.com',
    'https://example.com/a b',
    ' https://example.com',
    'https://a_b.example.com',
    'https://-a.example.com',
    'https://example.com.',
    'https://ex%41mple.com',
    'https://ｅxample.com',
    'https://0x7f.0.0.1',
    'https://1.2.3',
    'https://example.com:0',
    'https://example.com:65536',
    'https://@example.com',
    '',
    42,
    null,
  ])('refuses the URL %p, which WHATWG parsing alone would take or repair', (url) => {
    expect(withUrl(url)).toEqual(['url must be a valid URL']);
  });

  it("documents the URL rule it enforces: the published pattern and length are the schema's own", () => {
    const documented = (CreateWebhook.jsonSchema.properties as Record<string, { pattern: string; maxLength: number; format: string }>).url;
    expect(documented).toMatchObject({ format: 'uri', maxLength: 2048 });
    const pattern = new RegExp(documented.pattern);
    expect(['https://example.com/hook', 'https://[::1]:8443/h'].every((url) => pattern.test(url))).toBe(true);
    expect(['http://example.com', 'https://ex%41mple.com', ' https://example.com'].some((url) => pattern.test(url))).toBe(false);
    expect(withUrl(`https://example.com/${'a'.repeat(2048)}`)).toEqual(['url must be at most 2048 characters']);
  });

  it('answers one class-validator sentence per field, the first rule it breaks', () => {
    expect(answer(CreateWebhook, { url: 'https://example.com', events: [] })).toEqual(['events should not be empty']);
    expect(answer(CreateWebhook, { url: 'https://example.com', events: ['member.joined', 7] })).toEqual([eachValue]);
    // Uniqueness comes before each value, as class-validator checks them.
    expect(answer(CreateWebhook, { url: 'https://example.com', events: ['member.joined', 'member.joined'] })).toEqual(["All events's elements must be unique"]);
    expect(answer(UpdateWebhook, { url: 'ftp://example.com', events: {}, isActive: 1 })).toEqual(['url must be a valid URL', 'events must be an array', 'isActive must be a boolean value']);
  });

  it('names unknown properties first, in the order they were sent', () => {
    expect(answer(CreateWebhook, { zeta: 1, url: 'x', isActive: true, alpha: 2 })).toEqual([
      'property zeta should not exist',
      'property isActive should not exist',
      'property alpha should not exist',
      'url must be a valid URL',
      'events must be an array',
    ]);
  });

  it('reports the fields of a body that is not a JSON object as missing; PUT takes any subset but no null', () => {
    for (const body of [undefined, null, [], 'text']) expect(answer(CreateWebhook, body)).toEqual(['url must be a valid URL', 'events must be an array']);
    expect(answer(UpdateWebhook, {})).toBe('ok');
    expect(answer(UpdateWebhook, { isActive: false })).toBe('ok');
    expect(answer(UpdateWebhook, { url: null, isActive: null })).toEqual(['url must be a valid URL', 'isActive must be a boolean value']);
  });
});
