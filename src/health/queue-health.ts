/** How the delivery queue reports to /health; the BullMQ driver replaces the embedded one. */
export abstract class QueueHealth {
  abstract check(): Promise<{ ok: boolean; status: string }>;
}

export class EmbeddedQueueHealth extends QueueHealth {
  async check(): Promise<{ ok: boolean; status: string }> {
    return { ok: true, status: 'embedded' };
  }
}
