import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, Principal, tenantScope } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { timeRangeOf } from '../common/list-query.dto';
import { Page } from '../common/pagination';
import { AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditEventView, AuditService } from './audit.service';

@ApiTags('core')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access({ scopes: [S.AuditRead] })
  @CoreOperation('listAuditEvents', 'Read the audit log, newest first (filter by actor, action, target, plugin, time, tenant)', [400, 401, 403])
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() q: AuditQueryDto, @CurrentPrincipal() p: Principal): Promise<Page<AuditEventView>> {
    return this.audit.list({ tenant: tenantScope(p, q.tenant), action: q.action, target: q.target, plugin: q.plugin, actor: q.actor, ...timeRangeOf(q) }, q);
  }
}
