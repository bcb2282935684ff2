#!/usr/bin/env node
'use strict';
// The CLI runs the compiled core (npm install builds it; `npm run build` refreshes it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'core', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('memoryos is not built yet: run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(70);
}
require(entry).main(process.argv.slice(2));
