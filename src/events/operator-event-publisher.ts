import { Injectable } from '@nestjs/common';
import { AutoDisableListener } from '../delivery/engine/auto-disable-listener';
import { AutoDisabled } from '../delivery/store/delivery-store';
import { EventsService } from './events.service';

/** Publishes `hookgate.endpoint.disabled` to the endpoint's tenant when the engine disables it. */
@Injectable()
export class OperatorEventPublisher extends AutoDisableListener {
  constructor(private readonly events: EventsService) {
    super();
  }

  async endpointDisabled({ endpoint, reason }: AutoDisabled): Promise<void> {
    await this.events.publish({
      tenant: endpoint.tenant,
      type: 'hookgate.endpoint.disabled',
      data: { endpointId: endpoint.id, plugin: endpoint.plugin, url: endpoint.url, reason },
    });
  }
}
