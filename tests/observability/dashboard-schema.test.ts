import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboards, type DashboardFile } from '../helpers/grafana';
import { PROJECT_ROOT } from '../helpers/observability';

/**
 * Each dashboard file becomes an object literal that `satisfies
 * AuthwatchDashboard` (grafana/dashboard-schema.ts, from @grafana/schema), and
 * tsc compiles them: literal types and excess-property checks make a wrong
 * field type, a misspelled field or an unknown enum value an error. Three
 * broken copies prove the check can fail.
 */
type Diagnostic = { file: string; code: string; message: string };

const dashboards = loadDashboards();
let workDir: string;
let diagnostics: Diagnostic[];
let tscOutput: string;

function asModule(dashboard: unknown): string {
  const schema = path.relative(workDir, path.join(PROJECT_ROOT, 'grafana', 'dashboard-schema')).replaceAll(path.sep, '/');
  return [
    `import type { AuthwatchDashboard } from '${schema}';`,
    `export const dashboard = ${JSON.stringify(dashboard, null, 2)} satisfies AuthwatchDashboard;`,
    '',
  ].join('\n');
}

function brokenCopies(first: DashboardFile): Record<string, unknown> {
  const copy = () => JSON.parse(first.text);
  const wrongType = copy();
  wrongType.panels[0].gridPos.h = String(wrongType.panels[0].gridPos.h);
  const misspelled = copy();
  misspelled.panels[0].descripton = misspelled.panels[0].description;
  delete misspelled.panels[0].description;
  const unknownEnum = copy();
  unknownEnum.panels[0].options.tooltip.mode = 'multiple';
  return { 'broken-wrong-type': wrongType, 'broken-misspelled-field': misspelled, 'broken-unknown-enum': unknownEnum };
}

beforeAll(() => {
  fs.mkdirSync(path.join(PROJECT_ROOT, '.tmp'), { recursive: true });
  workDir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.tmp', 'grafana-typecheck-'));
  for (const { file, dashboard } of dashboards) fs.writeFileSync(path.join(workDir, file.replace(/\.json$/, '.ts')), asModule(dashboard));
  for (const [name, dashboard] of Object.entries(brokenCopies(dashboards[0]))) fs.writeFileSync(path.join(workDir, `${name}.ts`), asModule(dashboard));
  fs.writeFileSync(
    path.join(workDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: 'ES2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'dom'],
        types: [],
      },
      include: ['*.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', workDir, '--pretty', 'false'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  tscOutput = `${tsc.stdout}${tsc.stderr}`;
  diagnostics = [...tscOutput.matchAll(/^(.+?\.ts)\(\d+,\d+\): error (TS\d+): (.*)$/gm)].map((match) => ({
    file: path.basename(match[1]),
    code: match[2],
    message: match[3],
  }));
}, 150_000);
afterAll(() => workDir && fs.rmSync(workDir, { recursive: true, force: true }));

describe('the dashboards type-check against @grafana/schema', () => {
  it('finds the two dashboards', () => {
    expect(dashboards.map((entry) => entry.file)).toEqual(['authwatch-health.json', 'authwatch-security.json']);
  });

  it('compiles every dashboard file without an error', () => {
    expect(tscOutput.match(/error TS/g) ?? []).toHaveLength(diagnostics.length);
    expect(diagnostics.filter((d) => !d.file.startsWith('broken-'))).toEqual([]);
  });

  it('rejects a field of the wrong type', () => {
    expect(diagnostics.filter((d) => d.file === 'broken-wrong-type.ts').map((d) => d.message)).toEqual([
      "Type 'string' is not assignable to type 'number'.",
    ]);
  });

  it('rejects a misspelled field', () => {
    const found = diagnostics.filter((d) => d.file === 'broken-misspelled-field.ts');
    expect(found.map((d) => d.code)).toEqual(['TS2353']);
    expect(found[0].message).toContain(`'"descripton"' does not exist`);
  });

  it('rejects a value outside an enum', () => {
    expect(diagnostics.filter((d) => d.file === 'broken-unknown-enum.ts').map((d) => d.message)).toEqual([
      `Type '"multiple"' is not assignable to type '"multi" | "none" | "single"'.`,
    ]);
  });
});
