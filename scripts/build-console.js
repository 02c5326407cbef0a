#!/usr/bin/env node
// Bundles the console (src/console/ui: preact, uPlot) with esbuild into dist/console, which the gateway
// serves at /console: index.html, app.js, app.css. `npm run build` runs it; the e2e suite runs it too,
// so the browser always tests the current sources.
const { build } = require('esbuild');
const { copyFileSync, mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'src', 'console', 'ui');
const outdir = join(root, 'dist', 'console');

async function buildConsole() {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(source, 'main.tsx') },
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  copyFileSync(join(source, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

module.exports = { buildConsole };

if (require.main === module) {
  buildConsole().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
