import { ValidationFailedError } from '../common/errors';
import { schema, z } from './schema';

describe('schema(): one declaration validates, documents and types', () => {
  const Hook = schema('Hook', z.object({ url: z.url(), secret: z.string().min(8), target: z.union([z.string(), z.object({ id: z.string() })]) }));

  const issuesOfFailure = (value: unknown) => {
    try {
      Hook.parse(value);
    } catch (err) {
      return (err as ValidationFailedError).issues;
    }
    throw new Error('parsed');
  };

  it('parses, stripping unknown keys', () => {
    expect(Hook.parse({ url: 'https://example.com', secret: '12345678', target: 'x', extra: 1 })).toEqual({ url: 'https://example.com', secret: '12345678', target: 'x' });
  });

  it('refuses with zod 4 issues, their received type, and never the input (union branches included)', () => {
    const issues = issuesOfFailure({ url: 5, secret: 'hunter2', target: { id: 7, note: 'hunter2-nested' } });
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([['url', 'invalid_type'], ['secret', 'too_small'], ['target', 'invalid_union']]);
    expect(issues[0].receivedType).toBe('number');
    expect(JSON.stringify(issues)).not.toContain('hunter2');
    expect(JSON.stringify(issues)).not.toContain('"input"');
  });

  it('documents the same shape as OpenAPI 3.0 JSON Schema', () => {
    expect(Hook.jsonSchema).toMatchObject({ type: 'object', required: ['url', 'secret', 'target'], properties: { url: { type: 'string', format: 'uri' }, secret: { type: 'string', minLength: 8 } } });
  });
});
