import { Injectable } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { NotFoundError } from '../common/errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface ConsoleFile {
  body: Buffer;
  type: string;
}

/**
 * dist/console under the project root: the bundle `npm run build` makes from src/console/ui
 * (scripts/build-console.js), found from package.json so the sources under ts-jest serve it too.
 */
export function consoleAssetsDir(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
  }
  throw new Error(`no package.json above ${from}: cannot find the console's files`);
}

/** The console's page, scripts and styles; nothing else is served. */
@Injectable()
export class ConsoleAssets {
  /** Read on first use, so processes that never serve the console (the CLI) never look for it. */
  private files?: Map<string, ConsoleFile>;

  get(name: string): ConsoleFile {
    this.files ??= loadAssets(consoleAssetsDir());
    const file = this.files.get(name);
    if (!file) throw new NotFoundError(`No console file ${name}`);
    return file;
  }
}

function loadAssets(dir: string): Map<string, ConsoleFile> {
  if (!existsSync(join(dir, 'index.html'))) throw new NotFoundError('The console is not built: run npm run build');
  return new Map(
    readdirSync(dir)
      .filter((name) => CONTENT_TYPES[extname(name)])
      .map((name) => [name, { body: readFileSync(join(dir, name)), type: CONTENT_TYPES[extname(name)] }]),
  );
}
