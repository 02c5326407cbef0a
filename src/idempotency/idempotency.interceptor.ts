import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { concatMap, from, Observable, of, switchMap, catchError, throwError } from 'rxjs';
import type { Principal } from '../auth/principal';
import { IdempotentResponses } from './idempotent-responses.service';

/**
 * Gives every `@Operation({ idempotent: true })` Svix's idempotency-key semantics (see
 * IdempotentResponses). `@Operation` puts it on those routes alone: a global interceptor would put
 * every request (ingest too) through Nest's rxjs and AsyncResource wrapping, ~10% of a publish's CPU.
 * Idle on a request without the header; it runs after the guards, so the caller is known.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly responses: IdempotentResponses) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const idempotencyKey = request.headers['idempotency-key'];
    if (!request.principal || typeof idempotencyKey !== 'string' || !idempotencyKey) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const { tenant, subject } = request.principal;
    const key = this.responses.keyOf({ tenant, subject, idempotencyKey, method: request.method, url: request.url });
    return from(this.responses.claim(key)).pipe(
      switchMap((claim) => {
        if (claim.kind === 'replay') {
          reply.status(claim.response.statusCode);
          return of(claim.response.body);
        }
        return next.handle().pipe(
          concatMap(async (body: unknown) => {
            // The status the handler answered (its @HttpCode, or one it set on the reply).
            if (reply.statusCode >= 200 && reply.statusCode < 300) await this.responses.finish(key, { statusCode: reply.statusCode, body });
            else await this.responses.release(key);
            return body;
          }),
          catchError((err: unknown) => from(this.responses.release(key)).pipe(concatMap(() => throwError(() => err)))),
        );
      }),
    );
  }
}
