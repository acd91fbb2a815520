/**
 * Bundles the ingest handler for server.js, which calls it without Next's
 * router (see server/ingest-fast-path.js). Runs after `next build`, which
 * empties .next. better-sqlite3 is a native addon and stays external; the
 * react-server condition makes `server-only` resolve to its empty module.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['lib/ingest/handle-ingest-request.ts'],
  outfile: '.next/authwatch/ingest-handler.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['react-server'],
  external: ['better-sqlite3'],
  logLevel: 'warning',
});
