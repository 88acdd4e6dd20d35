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

  it('listen mode: the picture heard becomes the init picture (img2img), and it shows in the result', async () => {
    // two pictures heard: black (everything loud) above, white (silence) below, and the reverse
    const heard = (topDark: boolean) => {
      const rgb = new Uint8Array(512 * 512 * 3);
      for (let row = 0; row < 512; row++) rgb.fill((row < 256) === topDark ? 0 : 255, row * 512 * 3, (row + 1) * 512 * 3);
      return { width: 512, height: 512, rgb };
    };
    let picture = heard(true);
    const source = await DiffusionSegmentSource.open(loadPreset(fixture('../../presets/tiny.yaml')), pool, undefined, undefined, () => picture);
    try {
      const settings = initialSettings('diffusion');
      const a = await source.render(settings);
      expect(a.recipe.description).toMatch(/from the music heard \(strength 0\.75\)$/);
      picture = heard(false);
      const b = await source.render(settings); // same seed and alpha: only the init differs
      const mean = (img: { rgb: Uint8Array; width: number }, top: boolean) => {
        const half = img.rgb.length / 2;
        const part = top ? img.rgb.subarray(0, half) : img.rgb.subarray(half);
        return part.reduce((s, v) => s + v, 0) / part.length;
      };
      // img2img keeps a trace of the init: the half that was dark is darker than in the other render
      expect(mean(a.picture, true)).toBeLessThan(mean(b.picture, true));
      expect(mean(a.picture, false)).toBeGreaterThan(mean(b.picture, false));
    } finally {
      await source.dispose();
    }
  });
});
