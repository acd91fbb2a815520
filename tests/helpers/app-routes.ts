import fs from 'node:fs';
import path from 'node:path';

/** What the app directory serves, read from its files: route handlers with their methods, and pages. */
const APP = path.resolve(__dirname, '..', '..', 'app');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export type AppFile = { key: string; file: string; source: string };

function walk(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** `app/(member)/admin/users/page.tsx` → `/admin/users`: route groups do not appear in URLs. */
function urlPathOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment));
  return `/${segments.join('/')}`;
}

/** `GET /api/v1/users`, one per exported method of every route.ts. */
export function routeHandlers(): AppFile[] {
  return walk(APP)
    .filter((file) => path.basename(file) === 'route.ts')
    .flatMap((file) => {
      const source = fs.readFileSync(file, 'utf8');
      return METHODS.filter((method) => new RegExp(`export (async )?function ${method}\\b`).test(source)).map((method) => ({
        key: `${method} ${urlPathOf(file)}`,
        file,
        source,
      }));
    });
}

/** `PAGE /admin/users`, one per page.tsx. */
export function pages(): AppFile[] {
  return walk(APP)
    .filter((file) => path.basename(file) === 'page.tsx')
    .map((file) => ({ key: `PAGE ${urlPathOf(file)}`, file, source: fs.readFileSync(file, 'utf8') }));
}
