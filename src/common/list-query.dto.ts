import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ValidationFailedError } from './errors';

/** The `tenant` filter of every console list and stats route (see tenantScope for who may use it). */
export class TenantQueryDto {
  @ApiPropertyOptional({ description: 'Only this tenant. Admin: any tenant; other tokens: their own only (another tenant is 403)' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  tenant?: string;
}

export class ListQueryDto extends TenantQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor (older page) or prevCursor (newer page) of a page this list returned' })
  @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;
}

/** A list filtered on a time range of its rows' creation (inclusive). */
export class TimeRangeListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-20T00:00:00Z', description: 'Created at or after this time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-21T00:00:00Z', description: 'Created at or before this time' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;
}

/** The cursors of every page (lists are newest first). */
export class PageCursorsDto {
  @ApiProperty({ nullable: true, type: String, description: 'The next (older) page; null on the last page' }) nextCursor: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The previous (newer) page; null on the first page' }) prevCursor: string | null;
}

export interface TimeRange {
  since?: number;
  until?: number;
}

/**
 * The range in epoch ms. IsISO8601 also passes forms Date.parse cannot read (week dates such as
 * 2026-W01): those are refused here with the same 400, never handed to SQL as NaN.
 */
export function timeRangeOf(query: { since?: string; until?: string }): TimeRange {
  const epoch = (field: 'since' | 'until'): number | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new ValidationFailedError([{ path: [field], code: 'isIso8601', message: `${field} must be an ISO 8601 date-time` }]);
    return ms;
  };
  return { since: epoch('since'), until: epoch('until') };
}
