import { parseArgs } from 'node:util';
import { addServiceAudited, createIngestKeyAudited, listIngestKeysWithUse, revokeIngestKeyAudited } from '../auth/audited-ingest-keys';
import { getConfig } from '../config';
import type { Context } from '../context';
import { AuthwatchError } from '../errors';
import { runRetention } from '../retention/run-retention';
import { listServices } from '../services/manage-services';
import { getCore } from '../core';
import {
  addUserCommand,
  cliActor,
  createTokenCommand,
  disableUserCommand,
  listTokensCommand,
  listUsersCommand,
  revokeTokenCommand,
  setRoleCommand,
} from './account-commands';
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
  users add EMAIL --role ROLE [--password-stdin]
                                     print a one-time setup link (24 h), or read the password from stdin
  users list [--json]
  users set-role EMAIL ROLE          ROLE: USER, MANAGER or ADMIN; ends the user's sessions
  users disable EMAIL                ends the user's sessions
  tokens create --role ROLE --name NAME [--expires 90d]
                                     print a new API token, once (default lifetime 90d, at most 366d)
  tokens list [--json]
  tokens revoke ID
  migrate                            apply pending database migrations
  retention run                      delete events past AUTHWATCH_RETENTION_DAYS now`;

const iso = (time: number | null) => (time === null ? '-' : new Date(time).toISOString());

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      expires: { type: 'string' },
      json: { type: 'boolean' },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [noun, verb, argument, extra] = positionals;
  const options = { ...values, passwordStdin: values['password-stdin'] };
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
      const service = addServiceAudited({ ctx: ctx(), actor: cliActor(), input: { name: need('a service name') } });
      process.stdout.write(`${service.name}\n`);
      return 0;
    }
    case 'services list':
      process.stdout.write(formatTable(['NAME', 'CREATED'], listServices({ ctx: ctx() }).map((s) => [s.name, iso(s.createdAt)])));
      return 0;
    case 'keys create': {
      const created = createIngestKeyAudited({ ctx: ctx(), actor: cliActor(), input: { service: need('a service name'), expires: values.expires } });
      process.stderr.write(`created ingest key ${created.id} for ${created.service}, expires ${iso(created.expiresAt)}; it is shown only now\n`);
      process.stdout.write(`${created.key}\n`);
      return 0;
    }
    case 'keys list': {
      const keys = listIngestKeysWithUse({ ctx: ctx() });
      if (values.json) process.stdout.write(`${JSON.stringify(keys)}\n`);
      else {
        const rows = keys.map((k) => [k.id, k.service, k.status, iso(k.createdAt), iso(k.expiresAt), iso(k.revokedAt), iso(k.lastUsedAt)]);
        process.stdout.write(formatTable(['ID', 'SERVICE', 'STATUS', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED'], rows));
      }
      return 0;
    }
    case 'keys revoke':
      revokeIngestKeyAudited({ ctx: ctx(), actor: cliActor(), input: { id: need('a key id') } });
      process.stderr.write('revoked\n');
      return 0;
    case 'users add':
      await addUserCommand(ctx(), need('an email'), options);
      return 0;
    case 'users list':
      listUsersCommand(ctx(), options);
      return 0;
    case 'users set-role':
      setRoleCommand(ctx(), need('an email and a role'), extra);
      return 0;
    case 'users disable':
      disableUserCommand(ctx(), need('an email'));
      return 0;
    case 'tokens create':
      createTokenCommand(ctx(), options);
      return 0;
    case 'tokens list':
      listTokensCommand(ctx(), options);
      return 0;
    case 'tokens revoke':
      revokeTokenCommand(ctx(), need('a token id'));
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
