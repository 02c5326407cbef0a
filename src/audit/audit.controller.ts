import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, Principal, tenantScope } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { ListQueryDto } from '../common/list-query.dto';
import { Page } from '../common/pagination';
import { AuditEventView, AuditService } from './audit.service';

export class AuditQueryDto extends ListQueryDto {
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

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) data: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

@ApiTags('core')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access({ scopes: [S.AuditRead] })
  @CoreOperation('listAuditEvents', 'Read the audit log', [400, 401, 403])
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() q: AuditQueryDto, @CurrentPrincipal() p: Principal): Promise<Page<AuditEventView>> {
    return this.audit.list({ tenant: tenantScope(p), action: q.action, target: q.target, plugin: q.plugin, actor: q.actor }, q);
  }
}
