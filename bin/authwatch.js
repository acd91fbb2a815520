#!/usr/bin/env node
/**
 * `npx authwatch …`: runs the TypeScript CLI (lib/cli/main.ts) through tsx. The
 * `react-server` condition makes `server-only` an empty module, as it is in the
 * server bundles; the CLI shares the store code with the server.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const loader = pathToFileURL(require.resolve('tsx')).href;
const main = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
const child = spawnSync(process.execPath, ['--conditions=react-server', '--import', loader, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(child.status ?? 1);
