import { afterAll, describe, expect, it } from 'vitest';
import { ReconstructionPool } from '../../engine/reconstruct/reconstructionPool.js';
import { FUZZ_KINDS, fuzzCase } from '../helpers/fuzz/fuzzCases.js';
import { materialise, removeCase, runInProcess } from '../helpers/fuzz/fuzzTarget.js';
import { Random } from '../helpers/fuzz/random.js';

/**
 * A few seconds of the fuzzing `npm run fuzz` does at length (docs/reliability.md): corrupt PNGs,
 * WAVs, presets, journals and EXIF, each either accepted with a sane result or refused with one
 * clear line; never another exception, never a read outside a session folder.
 */
const CASES_PER_KIND = 30;
const pool = new ReconstructionPool({ threads: 0 });
afterAll(() => pool.dispose());

describe('fuzzed input files', () => {
  for (const kind of FUZZ_KINDS) {
    it(`${kind}: ${CASES_PER_KIND} corrupt files are accepted or refused clearly, none crash`, async () => {
      const rng = new Random(0x5eed + kind.length);
      const crashes: string[] = [];
      let refused = 0;
      for (let i = 0; i < CASES_PER_KIND; i++) {
        const c = fuzzCase(kind, rng, i);
        const dir = materialise(c);
        const outcome = await runInProcess(kind, dir, pool);
        removeCase(dir);
        if (outcome.kind === 'crashed') crashes.push(`${c.name}: ${outcome.error.split('\n').slice(0, 3).join(' | ')}`);
        if (outcome.kind === 'refused') refused++;
      }
      expect(crashes).toEqual([]);
      // the generators make mostly bad files: most must be refused, or the generator has gone soft
      expect(refused).toBeGreaterThan(CASES_PER_KIND / 3);
    });
  }
});
