import { isAdmin, Principal } from '../auth/principal';
import { Scope } from '../auth/scopes';
import { ForbiddenError, ValidationFailedError } from '../common/errors';
import type { PublishEventDto } from './event.dto';
import type { PublishInput } from './events.service';

/** The tenant an event is published for: the caller's own, or another one for admins and `events:publish:any`. */
export function publishingTenant(p: Principal, requested: string | undefined): string {
  const tenant = requested ?? p.tenant;
  if (tenant !== p.tenant && !isAdmin(p) && !p.scopes.includes(Scope.EventsPublishAny)) {
    throw new ForbiddenError('Publishing for another tenant needs admin or events:publish:any');
  }
  return tenant;
}

/** The one idempotency key of a publish, given as the `Idempotency-Key` header, the body field, or both (then equal). */
export function idempotencyKeyOf(headerKey: string | undefined, bodyKey: string | null | undefined): string | undefined {
  // A JSON null (which @IsOptional lets through) means no key, as an absent field does.
  const fromBody = bodyKey ?? undefined;
  if (headerKey !== undefined && fromBody !== undefined && headerKey !== fromBody) {
    throw new ValidationFailedError([{ path: ['idempotencyKey'], code: 'mismatch', message: 'idempotencyKey differs from the Idempotency-Key header' }]);
  }
  const key = headerKey ?? fromBody;
  if (key !== undefined && (key.length < 1 || key.length > 255)) {
    throw new ValidationFailedError([{ path: ['Idempotency-Key'], code: 'length', message: 'Idempotency-Key must be 1 to 255 characters' }]);
  }
  return key;
}

/** What `POST /v1/events` asks the events service to publish, once the caller may publish it. */
export function publishInput(p: Principal, dto: PublishEventDto, headerKey: string | undefined): PublishInput {
  const tenant = publishingTenant(p, dto.tenant);
  return { tenant, plugin: dto.plugin, type: dto.type, data: dto.data, context: dto.context, idempotencyKey: idempotencyKeyOf(headerKey, dto.idempotencyKey) };
}
