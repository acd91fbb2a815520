/**
 * Bundles what server.js runs beside Next.js: the ingest handler it calls
 * without Next's router (server/bundles.js), the event preparer thread
 * (lib/ingest/event-preparer.ts) and the event writer thread
 * (lib/store/event-writer.ts). Runs after `next build`, which empties
 * .next. better-sqlite3 and re2 are native addons and stay external; the
 * react-server condition makes `server-only` resolve to its empty module.
 */
import { build } from 'esbuild';

await build({
  entryPoints: {
    'ingest-handler': 'lib/ingest/handle-ingest-request.ts',
    'event-preparer': 'lib/ingest/event-preparer-thread.ts',
    'event-writer': 'lib/store/event-writer-thread.ts',
  },
  outdir: '.next/authwatch',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['react-server'],
  external: ['better-sqlite3', 're2'],
  logLevel: 'warning',
});
