/**
 * What server.js runs beside Next.js, from the bundles scripts/build-server-bundles.mjs
 * makes: the ingest fast path and the threads that prepare and write events.
 *
 * POST /api/v1/events without Next's router. Next costs 4–6 ms of CPU per
 * request even for a trivial route, the whole budget of a single-event request
 * at 500 requests/s on two cores. This calls the very handler the route
 * exports (same authentication, validation, storage and metrics), bundled by
 * scripts/build-server-bundles.mjs; singletons (store, metrics registry, rate
 * limiter) live on globalThis, so both copies share them.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const BUNDLE = path.join(__dirname, '..', '.next', 'authwatch', 'ingest-handler.js');
const THREAD_BUNDLES = {
  'authwatch.spawn-event-writer-thread': path.join(__dirname, '..', '.next', 'authwatch', 'event-writer.js'),
  'authwatch.spawn-event-preparer-thread': path.join(__dirname, '..', '.next', 'authwatch', 'event-preparer.js'),
};

/**
 * Lets lib/store/event-writer.ts and lib/ingest/event-preparer.ts start their
 * threads from their bundles. Call before Next.js prepares (instrumentation
 * starts the writer). Returns false if a bundle is missing; none is offered then.
 */
function offerThreads() {
  const bundles = Object.entries(THREAD_BUNDLES);
  if (!bundles.every(([, file]) => fs.existsSync(file))) return false;
  for (const [key, file] of bundles) globalThis[Symbol.for(key)] = (workerData) => new Worker(file, { workerData });
  return true;
}

/** Returns a `(req, res) => Promise<boolean>` that serves the request if it is an ingest POST, or undefined without the bundle. */
function loadIngestFastPath() {
  if (!fs.existsSync(BUNDLE)) return undefined;
  const { handleIngestRequest } = require(BUNDLE);

  return async function serveIngest(req, res, pathname) {
    if (req.method !== 'POST' || pathname !== '/api/v1/events') return false;
    // The handler reads headers and body chunks only (IngestRequest); the Node request gives both
    // without the web Request and streams that cost about 25 KB of garbage per request.
    const headers = {
      get(name) {
        const key = name.toLowerCase();
        // req.headers keeps only the first of repeated Authorization headers; headersDistinct has every
        // one, joined as a web Headers object joins them, so the handler can refuse the pair.
        const value = key === 'authorization' ? req.headersDistinct[key] : req.headers[key];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
    const response = await handleIngestRequest({ headers, body: req });
    const body = Buffer.from(await response.arrayBuffer());
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.setHeader('content-length', body.length);
    res.statusCode = response.status;
    res.end(body);
    return true;
  };
}

module.exports = { loadIngestFastPath, offerThreads };
