#!/usr/bin/env node
// Generates the console's wire types (src/console/ui/wire.gen.ts, not committed) from
// openapi/openapi.json with openapi-typescript, so the UI type-checks against what the API documents
// instead of hand-copied interfaces. openapi.json itself is held to the server by the openapi drift
// test; `npm run build:console` runs this before type-checking the UI.
const { default: openapiTS, astToString } = require('openapi-typescript');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'openapi', 'openapi.json');
const target = join(root, 'src', 'console', 'ui', 'wire.gen.ts');

async function writeWireTypes() {
  // A property with a default is optional in a request (the API fills it in), as the spec says.
  const ast = await openapiTS(JSON.parse(readFileSync(source, 'utf8')), { defaultNonNullable: false });
  writeFileSync(target, `// Generated from openapi/openapi.json by scripts/console-wire-types.js: do not edit.\n${astToString(ast)}`);
  return target;
}

module.exports = { writeWireTypes };

if (require.main === module) {
  writeWireTypes().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
