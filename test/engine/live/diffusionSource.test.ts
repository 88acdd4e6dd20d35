import { afterAll, describe, expect, it } from 'vitest';
import { initialSettings } from '../../../engine/live/controlState.js';
import { DiffusionSegmentSource } from '../../../engine/live/sources/diffusionSegmentSource.js';
import { loadPreset } from '../../../engine/presets/loadPreset.js';
import { ReconstructionPool } from '../../../engine/reconstruct/reconstructionPool.js';
import { fixture } from '../../helpers/fixtures.js';

describe('DiffusionSegmentSource on the tiny models', () => {
  const pool = new ReconstructionPool({ threads: 2 });
  afterAll(() => pool.dispose());

  it('renders loopable stereo segments, and restarts a crashed generator worker', async () => {
    const source = await DiffusionSegmentSource.open(loadPreset(fixture('../../presets/tiny.yaml')), pool);
    try {
      const settings = initialSettings('diffusion');
      const first = await source.render(settings);
      expect(first.bars).toBeNull();
      expect([first.picture.width, first.picture.height]).toEqual([128, 64]);
      expect(first.audio[0].length).toBe(128 * 441); // one loop period
      expect(first.recipe.description).toMatch(/seed 293918 \+ 0\.00/);
      // the walk moves on only when a segment is kept: a superseded render leaves it where it was
      expect((await source.render(settings)).recipe.description).toMatch(/seed 293918 \+ 0\.00/);
      first.commit!();
      const second = await source.render(settings);
      expect(second.recipe.description).toMatch(/seed 293918 \+ 0\.25/);
      second.commit!();
      // the preset's own iterations and saturation apply live as they do in `generate`

      // kill the worker behind the source's back, as a crash would
      const client = (source as unknown as { client: { worker: { terminate(): Promise<number> } } }).client;
      await client.worker.terminate();
      await new Promise((r) => setTimeout(r, 50));
      await expect(source.render(settings)).rejects.toThrow(/crashed.*restarted/);
      expect(source.restarts).toBe(1);
      const after = await source.render(settings);
      expect(after.audio[0].length).toBe(128 * 441);
    } finally {
      await source.dispose();
    }
  });
});
