import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Access } from '../auth/access.decorator';
import { NotFoundError } from '../common/errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The console holds no server state: the browser keeps its token and calls the /v1 API itself,
 * so the page may only talk to this origin and may not be framed.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** src/console/public under the project root: the build is tsc only, so dist/ serves the sources too. */
export function consoleAssetsDir(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'console', 'public');
  }
  throw new Error(`no package.json above ${from}: cannot find the console's files`);
}

/** The delivery console: a static page at /console, its scripts and styles; nothing else is served. */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  /** Read on first use, so processes that never serve the console (the CLI) never look for it. */
  private files?: Map<string, { body: Buffer; type: string }>;

  @Get()
  @Access({ public: true })
  index(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get(':file')
  @Access({ public: true })
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    this.send(reply, file);
  }

  private send(reply: FastifyReply, name: string): void {
    this.files ??= loadAssets(consoleAssetsDir());
    const file = this.files.get(name);
    if (!file) throw new NotFoundError(`No console file ${name}`);
    void reply.headers(SECURITY_HEADERS).type(file.type).send(file.body);
  }
}

function loadAssets(dir: string): Map<string, { body: Buffer; type: string }> {
  return new Map(
    readdirSync(dir)
      .filter((name) => CONTENT_TYPES[extname(name)])
      .map((name) => [name, { body: readFileSync(join(dir, name)), type: CONTENT_TYPES[extname(name)] }]),
  );
}
