import Fastify from 'fastify';
import { AddressInfo } from 'node:net';
import { serve } from './child';

/** The ingest baseline: a Fastify route that parses the same body and answers like POST /v1/events, doing nothing else. */
export async function startBareFastify(): Promise<{ url: string; close: () => Promise<void> }> {
  const bare = Fastify();
  bare.post('/v1/events', async (req) => ({ id: 'x', deliveries: (req.body as { data?: unknown }).data ? 0 : 0 }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`, close: () => bare.close() };
}

/** Forked by the bench: the bare route in its own process, as the gateway is. */
if (require.main === module) serve({}, startBareFastify().then((b) => b.url));
