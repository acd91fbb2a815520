import fs from 'node:fs';
import path from 'node:path';

/** A directory only authwatch's own tree has: the one that holds it is the code's root. */
const MARKER = path.join('lib', 'store', 'sqlite', 'migrations');

/**
 * Where to start looking, first to last: this module's directory (a real path
 * under tsx, vitest and the esbuild thread bundles in .next/authwatch; Next's
 * Turbopack bundles give a placeholder that does not exist), the script node
 * was started with (server.js), and last the working directory.
 */
function startingPoints(): string[] {
  const points: string[] = [];
  if (typeof __dirname === 'string') points.push(__dirname);
  if (process.argv[1]) points.push(path.dirname(path.resolve(process.argv[1])));
  points.push(process.cwd());
  return points;
}

function findCodeRoot(): string {
  for (const start of startingPoints()) {
    for (let directory = start; ; directory = path.dirname(directory)) {
      if (fs.existsSync(path.join(directory, MARKER))) return directory;
      if (path.dirname(directory) === directory) break;
    }
  }
  return process.cwd();
}

const CODE_ROOT = findCodeRoot();

/** A file or directory of authwatch's source tree (SQL, data files), found from the code, not from the working directory. */
export function codePath(...parts: string[]): string {
  return path.join(CODE_ROOT, ...parts);
}
