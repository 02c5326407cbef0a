#!/usr/bin/env node
// The built CLI (npm run build writes dist/); see docs/cli.md.
require('../dist/src/cli/main.js').main(process.argv);
