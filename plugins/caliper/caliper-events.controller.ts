import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { INGEST_ACCESS } from './caliper.catalogue';
import { CaliperOperation } from './caliper.openapi';
import { INGEST_RESULT_SCHEMA, SENSOR_ENVELOPE_SCHEMA } from './caliper.schemas';
import { CaliperService, IngestResult } from './caliper.service';

/** Caliper Sensor API ingestion: each event of the envelope fans out to the matching webhooks. */
@ApiTags('caliper')
@Controller('events')
export class CaliperEventsController {
  constructor(private readonly caliper: CaliperService) {}

  @Post()
  @Access(INGEST_ACCESS)
  @CaliperOperation({ operationId: 'caliperSendEvents', summary: 'Send a Caliper envelope of events to the matching webhooks', status: 200, body: SENSOR_ENVELOPE_SCHEMA, response: INGEST_RESULT_SCHEMA })
  ingest(@Body() body: unknown, @CurrentPrincipal() p: Principal): Promise<IngestResult> {
    return this.caliper.ingest(p, body);
  }
}
