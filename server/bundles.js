/**
 * What server.js runs beside Next.js, from the bundles scripts/build-server-bundles.mjs
 * makes: the server support (ingest fast path, logger, core) and the threads
 * that prepare, write and read events. Production and development (`npm run
 * dev`) both run them: there is no mode without these threads.
 *
 * POST /api/v1/events (and GET /api/health, /api/ready, /api/metrics) go without Next's router. Next costs 4–6 ms of CPU per
 * request even for a trivial route, the whole budget of a single-event request
 * at 500 requests/s on two cores. This calls the very handler the route
 * exports (same authentication, validation, storage and metrics); the core
 * (lib/core.ts) lives on globalThis, so both copies share it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const DIRECTORY = path.join(__dirname, '..', '.next', 'authwatch');
const SUPPORT = path.join(DIRECTORY, 'server-support.js');
const THREADS = ['event-writer', 'event-preparer', 'event-reader', 'detection', 'checkpointer'];

/**
 * Loads the server support and offers lib/threads/thread-client.ts the spawn
 * function of each thread (under `authwatch.threads` on globalThis). Call
 * before Next.js prepares. Throws, naming what is missing, without the bundles.
 */
function loadServerSupport() {
  const missing = [SUPPORT, ...THREADS.map((name) => path.join(DIRECTORY, `${name}.js`))].filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`missing server bundles (${missing.map((file) => path.basename(file)).join(', ')}): run npm run build (or npm run dev)`);
  }
  const spawners = {};
  for (const name of THREADS) spawners[name] = (workerData) => new Worker(path.join(DIRECTORY, `${name}.js`), { workerData });
  globalThis[Symbol.for('authwatch.threads')] = spawners;
  return require(SUPPORT);
}

/** Sends a web Response's status, headers and body on the Node response. */
async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.setHeader('content-length', body.length);
  res.statusCode = response.status;
  res.end(body);
  return true;
}

/**
 * Returns a `(req, res, pathname) => Promise<boolean>` that serves the request
 * if it is an ingest POST or a GET of /api/health, /api/ready or /api/metrics
 * (their routes' own handlers), and resolves false for Next.js to serve it.
 */
function fastPath(support) {
  return async function serveFast(req, res, pathname) {
    if (req.method === 'GET') {
      const requestId = req.headers['x-request-id'] || null;
      if (pathname === '/api/health') return send(res, support.healthResponse());
      if (pathname === '/api/ready') return send(res, await support.readyResponse(requestId));
      if (pathname === '/api/metrics') return send(res, await support.metricsResponse(req.headers.authorization || null, requestId));
      return false;
    }
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
    return send(res, await support.handleIngestRequest({ headers, body: req }));
  };
}

module.exports = { loadServerSupport, fastPath };
