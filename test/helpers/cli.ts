import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';

/** The built CLI (npm test compiles before running vitest). */
export const CLI = fileURLToPath(new URL('../../dist/engine/cli/synesthete.cjs', import.meta.url));

export interface CliRun {
  /** exit status (null if killed by a signal) */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `synesthete ...args` to completion. */
export function synesthete(...args: string[]): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p tsconfig.json, or npm test)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts the CLI failed the way a user should see: exit 1, one line naming `file`, nothing written to `outDir`. */
export function expectCleanFailure(r: CliRun, file: string, outDir: string): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(readdirSync(outDir)).toEqual([]);
}
