import { afterAll, beforeAll } from 'vitest';
import { provisionService, type Provisioned } from './provision';
import { startServer, type RunningServer, type StartOptions } from './server';

/** The running server and its registered service `gateway` with one ingest key; read them inside hooks and tests. */
export type GatewayServer = { readonly server: RunningServer; readonly gateway: Provisioned };

/**
 * Starts the production server on a fresh database, with the service
 * `gateway` and a key for it, before the tests of the file or describe block
 * it is called in, and disposes of it after them.
 */
export function withGatewayServer(options: StartOptions = {}): GatewayServer {
  let started: { server: RunningServer; gateway: Provisioned } | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(options);
    started = { server, gateway: provisionService(server.dbFile, 'gateway') };
  });
  afterAll(async () => server?.dispose());
  const ready = () => {
    if (!started) throw new Error('the gateway server starts in beforeAll: use it inside a hook or a test');
    return started;
  };
  return {
    get server() {
      return ready().server;
    },
    get gateway() {
      return ready().gateway;
    },
  };
}
