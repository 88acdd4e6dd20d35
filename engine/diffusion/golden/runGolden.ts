#!/usr/bin/env node
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { isUserError } from '../../errors.js';
import { type DiffusionModel, checkCompatible, loadModel } from '../../models/loadModel.js';
import { Sampler } from '../sampler.js';
import { readGoldenCase, relativeError } from './goldenCase.js';

/**
 * `npm run golden -- DIR [--audio MODEL_DIR] [--picture MODEL_DIR]`: runs every case folder in DIR,
 * compares the final latents with latents.npy and prints one line per case with its relative error;
 * the last line summarises; exit status 1 if any case exceeds the tolerance.
 */
const TOLERANCE = 1e-4;

const program = new Command()
  .name('golden')
  .description('Check composed sampling against reference latents (the golden case format of test/fixtures/golden).')
  .argument('<dir>', 'folder of case folders (each with case.json, noise.npy [, noise_b.npy], latents.npy)')
  .option('--audio <model-dir>', 'audio (Riffusion-style) model folder (default: DIR/../tiny-sd/audio)')
  .option('--picture <model-dir>', 'picture model folder (default: DIR/../tiny-sd/picture)')
  .option('--tolerance <r>', `largest relative error that passes (default ${TOLERANCE})`)
  .action(async (dir: string, opts: { audio?: string; picture?: string; tolerance?: string }) => {
    const root = resolve(dir);
    const tolerance = opts.tolerance === undefined ? TOLERANCE : Number(opts.tolerance);
    const audioDir = opts.audio ?? join(root, '..', 'tiny-sd', 'audio');
    const pictureDir = opts.picture ?? join(root, '..', 'tiny-sd', 'picture');
    const audio = await loadModel(audioDir);
    const picture: DiffusionModel | undefined = existsSync(pictureDir) ? await loadModel(pictureDir) : undefined;
    try {
      if (picture) checkCompatible(audio, picture);
      const sampler = new Sampler({ audio, ...(picture ? { picture } : {}) });
      const folders = readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'case.json')))
        .map((d) => d.name)
        .sort();
      let failed = 0, worst = 0;
      for (const folder of folders) {
        try {
          const c = readGoldenCase(root, folder);
          const result = await sampler.sample({ recipe: c.recipe, noise: c.noise, ...(c.noiseB ? { noiseB: c.noiseB } : {}) });
          const err = relativeError(result.latent.data, c.expected);
          const callsOk = c.expectedUnetCalls === undefined || c.expectedUnetCalls === result.unetCalls;
          const ok = err <= tolerance && callsOk;
          worst = Math.max(worst, err);
          if (!ok) failed++;
          const calls = c.expectedUnetCalls === undefined ? '' : ` unet calls ${result.unetCalls}/${c.expectedUnetCalls}`;
          console.log(`${ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(32)} relative error ${err.toExponential(2)}${calls}`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${folder.padEnd(32)} ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      console.log(`golden: ${folders.length - failed} passed, ${failed} failed (largest relative error ${worst.toExponential(2)}, tolerance ${tolerance})`);
      if (failed > 0 || folders.length === 0) process.exitCode = 1;
    } finally {
      await audio.dispose();
      await picture?.dispose();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`golden: ${isUserError(e) ? e.message : e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = isUserError(e) ? 1 : 2;
}
