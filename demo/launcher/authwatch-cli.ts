import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEMO_SERVICES, type DemoService } from '../config';

/**
 * Provisioning through authwatch's own CLI (`node bin/authwatch.js`), exactly
 * what an operator would type: register the demo's services, create one
 * ingest key each, create the demo ADMIN's one-time sign-in link.
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
  const keys: Partial<Record<DemoService, string>> = {};
  for (const service of DEMO_SERVICES) {
    if (!known.has(service)) await runCli(['services', 'add', service], env);
    keys[service] = await runCli(['keys', 'create', service, '--expires', '30d'], env);
  }
  return keys as Record<DemoService, string>;
}

/** `users add … --role ADMIN` prints the one-time setup link alone on stdout (PRODUCT.md); a path is made absolute. */
export async function createAdminLink(email: string, dashboardUrl: string, env: NodeJS.ProcessEnv): Promise<string> {
  const printed = await runCli(['users', 'add', email, '--role', 'ADMIN'], env);
  return new URL(printed, dashboardUrl).toString();
}
