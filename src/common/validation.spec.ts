import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { PublishEventDto } from '../events/event.dto';
import { createValidationPipe, validationPipeOptions } from './validation';

/** What a pipe makes of a body: the value handed to the handler, or the refusal's message and issues. */
async function outcome(pipe: ValidationPipe, body: unknown): Promise<unknown> {
  try {
    const value = await pipe.transform(structuredClone(body), { type: 'body', metatype: PublishEventDto });
    return { accepted: JSON.parse(JSON.stringify(value)) };
  } catch (e) {
    const { message, issues } = e as { message: string; issues: unknown };
    return { refused: message, issues };
  }
}

const valid = { type: 'invoice.paid', data: { invoiceId: 'inv_1' } };
const emoji255 = '\u{1F600}'.repeat(255);
const values: unknown[] = [undefined, null, '', 'a', 'x'.repeat(255), 'x'.repeat(256), emoji255, `${emoji255}x`, 0, 5, true, false, [], ['a'], {}, { a: 1 }];
const fields = ['type', 'data', 'plugin', 'context', 'tenant', 'idempotencyKey'];

const bodies: unknown[] = [
  valid,
  undefined, null, 'abc', 5, true, [], [1], {},
  { ...valid, extra: 1, 7: 'x' },
  { extra: 1, type: null, data: 1, context: 'x', tenant: 'y'.repeat(300), plugin: 5, idempotencyKey: 7 },
  { ...valid, plugin: null, context: null, tenant: null, idempotencyKey: null },
  { ...valid, data: { prototype: { a: 1 }, constructor: 'c', nested: [{ constructor: 1, b: 2 }] } },
  { ...valid, constructor: 1, prototype: 2 },
  ...fields.flatMap((field) => values.map((value) => ({ ...valid, [field]: value }))),
];

describe('PublishEventDto checked by rules', () => {
  it('refuses and accepts exactly as class-validator does for the DTO, with the same issues in the same order', async () => {
    const byRules = createValidationPipe();
    const byClassValidator = new ValidationPipe(validationPipeOptions);
    for (const body of bodies) {
      const expected = await outcome(byClassValidator, body);
      expect({ body, outcome: await outcome(byRules, body) }).toEqual({ body, outcome: expected });
    }
  });

  it('strips prototype keys from the payload as the class-validator path does', async () => {
    const body = { ...valid, data: { prototype: 1, constructor: 2, kept: { constructor: 3, ok: true } } };
    expect(await outcome(createValidationPipe(), body)).toEqual({ accepted: { ...valid, data: { kept: { ok: true } } } });
  });
});
