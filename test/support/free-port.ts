import { createServer } from 'node:net';

/** A port on 127.0.0.1 that nothing listens on (bound, then released): for a server to come, or for a URL nobody answers. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
