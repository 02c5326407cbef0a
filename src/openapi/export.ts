import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PLUGIN_MODULES } from '../../plugins';
import { createApp } from '../bootstrap';
import { loadConfig } from '../config/app-config';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { buildDocuments } from './document';
import { permissionsMarkdown } from './permissions';

/** Pretty, stable JSON (the documents are already key-sorted by buildDocuments). */
export const openApiJson = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * Boots the gateway with every plugin on a throwaway database and writes what a reviewer reads:
 * `<outDir>/openapi.json` (exactly what /docs-json serves), `<outDir>/<plugin>.json` per plugin,
 * and `<docsDir>/permissions.md`. Returns the files written.
 */
export async function exportOpenApi(outDir: string, docsDir: string): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'hookgate-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'development',
      DATABASE_URL: `sqlite://${join(scratch, 'hookgate.sqlite')}`,
      AUTH_JWT_SECRET: randomBytes(32).toString('base64'),
      HOOKGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'silent',
    });
    const app = await createApp(config, PLUGIN_MODULES);
    try {
      const docs = buildDocuments(app);
      const surfaces = app.get(PluginRegistry).all().map((p) => ({ key: p.metadata.key, routePrefix: p.metadata.routePrefix }));
      const files: Record<string, string> = {
        [join(outDir, 'openapi.json')]: openApiJson(docs.full),
        ...Object.fromEntries(Object.entries(docs.plugins).map(([key, doc]) => [join(outDir, `${key}.json`), openApiJson(doc)])),
        [join(docsDir, 'permissions.md')]: permissionsMarkdown(docs.full, surfaces),
      };
      mkdirSync(outDir, { recursive: true });
      mkdirSync(docsDir, { recursive: true });
      for (const [file, content] of Object.entries(files)) writeFileSync(file, content);
      return Object.keys(files);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [outDir = 'openapi', docsDir = 'docs'] = process.argv.slice(2);
  exportOpenApi(resolve(outDir), resolve(docsDir)).then(
    (files) => process.stdout.write(`${files.map((f) => `wrote ${f}`).join('\n')}\n`),
    (err) => {
      process.stderr.write(`openapi export failed: ${err instanceof Error ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}
