import { PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { randomInt } from 'node:crypto';
import { UnprocessableError } from '../../src/sdk';

/** The provider's endpoint id: `whe_` and letters and digits. */
export const ENDPOINT_ID = /^whe_[A-Za-z0-9]+$/;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `whe_` + 22 random base62 characters, as the provider's ids look. */
export function newEndpointId(): string {
  return `whe_${Array.from({ length: 22 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
}

/** A malformed `endpoint_id` is 422 on this surface (the seed's "malformed resource ID"), not 400. */
export class EndpointIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ENDPOINT_ID.test(value)) throw new UnprocessableError('endpoint_id is malformed: it must be whe_ followed by letters and digits');
    return value;
  }
}

export const ApiEndpointIdParam = (): MethodDecorator =>
  ApiParam({ name: 'endpoint_id', required: true, description: 'The webhook endpoint id (e.g. whe_9ZtRcXw3nByK5pVqMaEfJs).', schema: { type: 'string', pattern: ENDPOINT_ID.source } });
