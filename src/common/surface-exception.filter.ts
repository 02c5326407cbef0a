import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { problemJson, toCoreError } from './error-rendering';
import { oauthErrorBody } from '../auth/oauth-error';

/**
 * One filter for every surface: the URL's first segment says whose error shape applies
 * (a plugin's routePrefix → its declared shape; anything else → problem+json).
 */
@Catch()
export class SurfaceExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  constructor(private readonly plugins: PluginRegistry) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.reply(err, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }

  reply(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
    const error = toCoreError(err);
    if (error.status >= 500) this.log.error({ err, path: req.url?.split('?')[0] }, 'unhandled error');
    const path = req.url ?? '/';
    const plugin = this.plugins.forPath(path);
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    if (path.startsWith('/oauth2/')) {
      void reply.status(error.status).header('cache-control', 'no-store').header('pragma', 'no-cache').send(oauthErrorBody(error));
      return;
    }
    if (plugin) {
      const rendered = plugin.metadata.errors.render(error, { method: req.method, path: path.split('?')[0] });
      void reply.status(rendered.status ?? error.status).type('application/json; charset=utf-8').send(rendered.body);
      return;
    }
    void reply.status(error.status).type('application/problem+json; charset=utf-8').send(problemJson(error));
  }
}
