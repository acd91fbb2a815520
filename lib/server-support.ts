/**
 * What server.js (plain JavaScript, outside Next's bundles) takes from the
 * library, bundled by scripts/build-server-bundles.mjs: the ingest, health,
 * readiness and metrics handlers it serves without Next's router, the one JSON logger, and the core it shuts
 * down. The core is the same object Next's bundles reach (lib/core.ts).
 */
export { handleIngestRequest } from './ingest/handle-ingest-request';
export { healthResponse, metricsResponse, readyResponse } from './http/operational-responses';
export { log } from './log';
export { getCore } from './core';
export { errorBody } from './response';
