/**
 * Bundles what server.js runs beside Next.js: the server support it calls
 * (lib/server-support.ts: the ingest handler it serves without Next's router,
 * the logger, the core) and the worker threads that prepare, write and read
 * events. Runs after `next build`, which empties .next, and before `npm run
 * dev`. better-sqlite3 and re2 are native addons and stay external; the react-server
 * condition makes `server-only` resolve to its empty module.
 */
import { build } from 'esbuild';

await build({
  entryPoints: {
    'server-support': 'lib/server-support.ts',
    'event-preparer': 'lib/ingest/event-preparer-thread.ts',
    'event-writer': 'lib/store/event-writer-thread.ts',
    'event-reader': 'lib/store/event-reader-thread.ts',
    detection: 'lib/detection/detection-thread.ts',
    checkpointer: 'lib/store/checkpoint-thread.ts',
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
