import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseIngestKey } from '../../lib/auth/ingest-key-format';
import { DEMO_SERVICES, type DemoService } from '../config';

/**
 * Provisioning through authwatch's own CLI (`node bin/authwatch.js`), exactly
 * what an operator would type: register the demo's services, create one
 * ingest key each, revoke them when the demo stops, create the demo ADMIN's
 * one-time sign-in link.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['bin/authwatch.js', ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`authwatch ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

export async function provisionServices(env: NodeJS.ProcessEnv): Promise<Record<DemoService, string>> {
  const listed = await runCli(['services', 'list'], env);
  const known = new Set(listed.split('\n').slice(1).map((row) => row.split(/\s+/)[0]));
  // The five services side by side, each writer waiting its turn on the database.
  const patient = { ...env, AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS: '10000' };
  const keys = await Promise.all(
    DEMO_SERVICES.map(async (service) => {
      if (!known.has(service)) await runCli(['services', 'add', service], patient);
      return [service, await runCli(['keys', 'create', service, '--expires', '30d'], patient)] as const;
    }),
  );
  return Object.fromEntries(keys) as Record<DemoService, string>;
}

/**
 * The ids (the public part) of the ingest keys a demo run created, kept in a
 * file beside the database until the run revokes them, so a run that was
 * killed before it could is cleaned up by the next one. Never the keys themselves.
 */
export function keyLedger(databaseFile: string) {
  const file = path.join(path.dirname(databaseFile), 'demo-ingest-keys.json');
  const read = (): string[] => {
    try {
      const ids: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{12}$/.test(id)) : [];
    } catch {
      return [];
    }
  };
  return {
    file,
    /** Remembers these keys' ids (added to any not yet revoked). */
    record: (keys: readonly string[]) => {
      const ids = keys.map((key) => parseIngestKey(key)?.id).filter((id): id is string => id !== undefined);
      fs.writeFileSync(file, JSON.stringify([...new Set([...read(), ...ids])]), { mode: 0o600 });
    },
    /** Revokes every remembered key through the CLI, then forgets them; returns how many it revoked. */
    revokeAll: async (env: NodeJS.ProcessEnv): Promise<number> => {
      // Side by side, each writer waiting its turn on the database. A key gone with its database needs nothing more.
      const patient = { ...env, AUTHWATCH_SQLITE_BUSY_TIMEOUT_MS: '10000' };
      const results = await Promise.allSettled(read().map((id) => runCli(['keys', 'revoke', id], patient)));
      fs.rmSync(file, { force: true });
      return results.filter((result) => result.status === 'fulfilled').length;
    },
  };
}

/** `users add … --role ADMIN` prints the one-time setup link alone on stdout (PRODUCT.md); a path is made absolute. */
export async function createAdminLink(email: string, dashboardUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  const printed = await runCli(['users', 'add', email, '--role', 'ADMIN'], env);
  return new URL(printed, dashboardUrl).toString();
}
