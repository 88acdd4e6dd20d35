import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/fixtures.js';

/** `npm run golden` on the reference cases: composed sampling must match an independent implementation. */
describe('golden cases (npm run golden)', () => {
  it('matches every reference case to 1e-4 relative error', () => {
    const run = spawnSync(process.execPath, ['dist/engine/diffusion/golden/runGolden.js', fixture('golden')], { encoding: 'utf8' });
    const lines = run.stdout.trim().split('\n');
    const cases = lines.filter((l) => /^(ok|FAIL)/.test(l));
    expect(cases.length).toBe(6);
    for (const line of cases) expect(line, line).toMatch(/^ok /);
    expect(lines.at(-1)).toMatch(/^golden: 6 passed, 0 failed/);
    expect(run.status, run.stderr).toBe(0);
    // the interpolation case also checks Riffusion's strength arithmetic: 38 UNet runs at 0.75
    expect(lines.find((l) => l.includes('interpolate'))).toMatch(/unet calls 38\/38/);
  });

  it('fails, with a non-zero exit, when a case does not match', () => {
    const run = spawnSync(process.execPath, ['dist/engine/diffusion/golden/runGolden.js', fixture('golden'), '--tolerance', '1e-12'], { encoding: 'utf8' });
    // float32 inference cannot agree with another implementation to 1e-12
    expect(run.stdout).toMatch(/FAIL/);
    expect(run.status).toBe(1);
  });
});
