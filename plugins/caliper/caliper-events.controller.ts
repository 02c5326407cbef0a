import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { INGEST_ACCESS } from './caliper.catalogue';
import { CaliperIngestResult, CaliperSensorEnvelope } from './caliper.schemas';
import { CaliperService } from './caliper.service';

/** Caliper Sensor API ingestion: each event of the envelope fans out to the matching webhooks. */
@ApiTags('caliper')
@Controller('events')
export class CaliperEventsController {
  constructor(private readonly caliper: CaliperService) {}

  @Post()
  @Access(INGEST_ACCESS)
  @Operation({ id: 'caliperSendEvents', summary: 'Send a Caliper envelope of events to the matching webhooks', status: 200, body: CaliperSensorEnvelope, response: CaliperIngestResult, errors: [400] })
  ingest(@Body(CaliperSensorEnvelope) envelope: CaliperSensorEnvelope, @CurrentPrincipal() p: Principal): Promise<CaliperIngestResult> {
    return this.caliper.ingest(p, envelope);
  }
}
