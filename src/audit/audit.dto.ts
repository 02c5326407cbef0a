import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageCursorsDto, TimeRangeListQueryDto } from '../common/list-query.dto';

export class AuditQueryDto extends TimeRangeListQueryDto {
  @ApiPropertyOptional({ example: 'endpoint.created' }) @IsOptional() @IsString() @MaxLength(128) action?: string;
  @ApiPropertyOptional({ description: 'Id of the changed object' }) @IsOptional() @IsString() @MaxLength(255) target?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) plugin?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) actor?: string;
}

export class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'Token subject or API key id' }) actor: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ example: 'endpoint.updated' }) action: string;
  @ApiProperty() target: string;
  @ApiProperty({ nullable: true, type: String }) plugin: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, example: { fields: ['url'] }, description: 'Changed field names and non-secret details' })
  changes: Record<string, unknown> | null;
}

export class AuditPageDto extends PageCursorsDto {
  @ApiProperty({ type: [AuditEventDto] }) data: AuditEventDto[];
}
