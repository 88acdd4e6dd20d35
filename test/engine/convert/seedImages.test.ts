import { afterAll, describe, expect, it } from 'vitest';
import { imageToAudio } from '../../../engine/convert/imageToAudio.js';
import { spectrogramParamsOf } from '../../../engine/convert/spectrogramParamsOf.js';
import { MelAnalyzer } from '../../../engine/dsp/melSpectrogram.js';
import { spectralConvergence } from '../../../engine/dsp/spectralConvergence.js';
import { readPng } from '../../../engine/io/png.js';
import { ReconstructionPool } from '../../../engine/reconstruct/reconstructionPool.js';
import { imageToSpectrogram } from '../../../engine/spectrogram/image.js';
import { fixture } from '../../helpers/fixtures.js';

/**
 * Riffusion's own audio chain scores 0.195 on og_beat; ours must do no worse on any seed, and must
 * not regress: each seed also has a bound 0.01 above what the default chain scored when this was
 * written (PGHI start + 3 fast Griffin-Lim iterations): og_beat 0.1700, agile 0.0852,
 * marim 0.0851, motorway 0.0958, vibes 0.1044.
 */
const RIFFUSION_OG_BEAT_SC = 0.195;
const REGRESSION_BOUND: Record<string, number> = { og_beat: 0.18, agile: 0.0952, marim: 0.0951, motorway: 0.1058, vibes: 0.1144 };

describe('seed images -> audio: mel spectral convergence', () => {
  const pool = new ReconstructionPool({ threads: 2 });
  afterAll(() => pool.dispose());

  for (const name of ['og_beat', 'agile', 'marim', 'motorway', 'vibes']) {
    it(`${name} scores below ${RIFFUSION_OG_BEAT_SC}`, async () => {
      const file = fixture(`riffusion/seed_images/${name}.png`);
      const image = readPng(file);
      const params = spectrogramParamsOf(image, file);
      const [audio] = await imageToAudio(image, params, pool);
      expect(audio!.length).toBe(441 * 511);

      const target = imageToSpectrogram(image, { channels: 'r', powerForImage: params.powerForImage })[0]!;
      const heard = new MelAnalyzer(params).analyze(audio!);
      const columns = Math.min(image.width, heard.numFrames);
      const sc = spectralConvergence(target, image.width, heard.data, heard.numFrames, params.numFrequencies, columns);
      expect(columns).toBe(512);
      expect(sc).toBeLessThan(RIFFUSION_OG_BEAT_SC);
      expect(sc).toBeLessThan(REGRESSION_BOUND[name]!);
    });
  }
});
