/**
 * The event preparer thread: turns request bodies into records to store
 * (prepare-events.ts). Bundled by scripts/build-server-bundles.mjs; started by
 * event-preparer.ts.
 */
import { serveRequests } from '../threads/serve-requests';
import { prepareEvents } from './prepare-events';

serveRequests('event preparer', prepareEvents);
