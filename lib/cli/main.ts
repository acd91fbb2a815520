import { parseArgs } from 'node:util';
import { createIngestKey, listIngestKeys, revokeIngestKey } from '../auth/manage-ingest-keys';
import { getConfig } from '../config';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { runRetention } from '../retention/run-retention';
import { addService, listServices } from '../services/manage-services';
import { getCore } from '../core';
import { formatTable } from './format-table';

/**
 * The operator's CLI. It opens the same SQLite file as the server (AUTHWATCH_DB)
 * and needs no running server. Secrets go alone to stdout; everything else to stderr.
 */
const USAGE = `usage: authwatch <command>

  services add NAME                  register a service
  services list
  keys create SERVICE [--expires 90d] print a new ingest key, once
  keys list [--json]
  keys revoke ID
  migrate                            apply pending database migrations
  retention run                      delete events past AUTHWATCH_RETENTION_DAYS now`;

const iso = (time: number | null) => (time === null ? '-' : new Date(time).toISOString());

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { expires: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [noun, verb, argument] = positionals;
  const command = `${noun ?? ''} ${verb ?? ''}`.trim();
  if (values.help || !noun) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const ctx = (): Context => ({ store: getCore().store, now: Date.now() });
  const need = (what: string) => {
    if (!argument) throw new AuthwatchError('ERR_INVALID_INPUT', `${command} needs ${what}`);
    return argument;
  };

  switch (command) {
    case 'services add': {
      const service = addService({ ctx: ctx(), input: { name: need('a service name') } });
      process.stdout.write(`${service.name}\n`);
      return 0;
    }
    case 'services list':
      process.stdout.write(formatTable(['NAME', 'CREATED'], listServices({ ctx: ctx() }).map((s) => [s.name, iso(s.createdAt)])));
      return 0;
    case 'keys create': {
      const created = createIngestKey({ ctx: ctx(), input: { service: need('a service name'), expires: values.expires } });
      process.stderr.write(`created ingest key ${created.id} for ${created.service}, expires ${iso(created.expiresAt)}; it is shown only now\n`);
      process.stdout.write(`${created.key}\n`);
      return 0;
    }
    case 'keys list': {
      const keys = listIngestKeys({ ctx: ctx() });
      if (values.json) process.stdout.write(`${JSON.stringify(keys)}\n`);
      else {
        const rows = keys.map((k) => [k.id, k.service, k.status, iso(k.createdAt), iso(k.expiresAt), iso(k.revokedAt)]);
        process.stdout.write(formatTable(['ID', 'SERVICE', 'STATUS', 'CREATED', 'EXPIRES', 'REVOKED'], rows));
      }
      return 0;
    }
    case 'keys revoke':
      revokeIngestKey({ ctx: ctx(), input: { id: need('a key id') } });
      process.stderr.write('revoked\n');
      return 0;
    case 'migrate':
      void getCore().store;
      process.stderr.write('database is up to date\n');
      return 0;
    case 'retention run': {
      const config = getConfig();
      const report = await runRetention({
        ctx: ctx(),
        input: {
          eventDays: config.AUTHWATCH_RETENTION_DAYS,
          rollupDays: config.AUTHWATCH_ROLLUP_RETENTION_DAYS,
          chunk: config.AUTHWATCH_RETENTION_CHUNK,
        },
      });
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
      return 2;
  }
}

run(process.argv.slice(2))
  .then((code) => {
    void getCore().shutdown();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    void getCore().shutdown();
    const message = error instanceof AuthwatchError ? `${error.code}: ${error.message}` : String(error);
    process.stderr.write(`authwatch: ${message}\n`);
    process.exitCode = error instanceof AuthwatchError ? 1 : 70;
  });
