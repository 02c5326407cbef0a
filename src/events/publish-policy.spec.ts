import type { Principal } from '../auth/principal';
import { CoreError } from '../common/errors';
import { idempotencyKeyOf, publishInput, publishingTenant } from './publish-policy';

const caller = (scopes: string[]): Principal => ({ kind: 'token', subject: 'svc', tenant: 'acme', scopes, orgRoles: {}, claims: {} });

function refusal(run: () => unknown): CoreError {
  try {
    run();
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('publishingTenant', () => {
  it("is the caller's own tenant when none is named, or when its own is named", () => {
    expect(publishingTenant(caller(['events:publish']), undefined)).toBe('acme');
    expect(publishingTenant(caller(['events:publish']), 'acme')).toBe('acme');
  });

  it('lets admin and events:publish:any publish for another tenant', () => {
    expect(publishingTenant(caller(['admin']), 'globex')).toBe('globex');
    expect(publishingTenant(caller(['events:publish:any']), 'globex')).toBe('globex');
  });

  it('refuses another tenant to a plain publisher with 403', () => {
    const err = refusal(() => publishingTenant(caller(['events:publish']), 'globex'));
    expect(err.status).toBe(403);
    expect(err.message).toBe('Publishing for another tenant needs admin or events:publish:any');
  });
});

describe('idempotencyKeyOf', () => {
  it('takes the header, the body field, or both when they agree', () => {
    expect(idempotencyKeyOf('k1', undefined)).toBe('k1');
    expect(idempotencyKeyOf(undefined, 'k2')).toBe('k2');
    expect(idempotencyKeyOf('k3', 'k3')).toBe('k3');
  });

  it('reads a JSON null in the body as no key', () => {
    expect(idempotencyKeyOf(undefined, null)).toBeUndefined();
    expect(idempotencyKeyOf('k1', null)).toBe('k1');
  });

  it('refuses a body field that differs from the header', () => {
    const err = refusal(() => idempotencyKeyOf('k1', 'k2'));
    expect(err.status).toBe(400);
    expect(err.issues).toEqual([{ path: ['idempotencyKey'], code: 'mismatch', message: 'idempotencyKey differs from the Idempotency-Key header' }]);
  });

  it('refuses an empty or over-long header', () => {
    for (const header of ['', 'x'.repeat(256)]) {
      expect(refusal(() => idempotencyKeyOf(header, undefined)).issues).toEqual([{ path: ['Idempotency-Key'], code: 'length', message: 'Idempotency-Key must be 1 to 255 characters' }]);
    }
    expect(idempotencyKeyOf('x'.repeat(255), undefined)).toHaveLength(255);
  });
});

describe('publishInput', () => {
  it('carries the body over with the reconciled tenant and key', () => {
    const input = publishInput(caller(['events:publish']), { type: 'invoice.paid', data: { n: 1 }, plugin: 'timbrix', context: { org: 'o1' }, idempotencyKey: 'k' }, 'k');
    expect(input).toEqual({ tenant: 'acme', plugin: 'timbrix', type: 'invoice.paid', data: { n: 1 }, context: { org: 'o1' }, idempotencyKey: 'k' });
  });

  it('checks the tenant before the key', () => {
    expect(refusal(() => publishInput(caller([]), { type: 't', data: 1, tenant: 'globex' }, '')).status).toBe(403);
  });
});
