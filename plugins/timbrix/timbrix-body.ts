import { ArgumentMetadata, createParamDecorator, ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { issuesFrom, ValidationFailedError } from '../../src/sdk';

const RawBody = createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<{ body?: unknown }>().body);

/**
 * Timbrix reports the first broken rule of each field (the seed's `["url must be a valid URL",
 * "events must be an array"]`), so bodies are validated here with stopAtFirstError; the global
 * pipe, which lists every rule, skips custom parameter decorators.
 */
class TimbrixBodyPipe implements PipeTransform<unknown, Promise<object>> {
  async transform(value: unknown, { metatype }: ArgumentMetadata): Promise<object> {
    if (!metatype || metatype === Object) throw new Error('@TimbrixBody() needs a DTO class as the parameter type');
    // A body that is not a JSON object has none of the fields: report them as missing.
    const plain = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
    const dto = plainToInstance(metatype as Type<object>, plain);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length) throw new ValidationFailedError(issuesFrom(errors));
    return dto;
  }
}

/** The request body as the parameter's DTO class, validated the Timbrix way. */
export const TimbrixBody = (): ParameterDecorator => RawBody(undefined, new TimbrixBodyPipe());
