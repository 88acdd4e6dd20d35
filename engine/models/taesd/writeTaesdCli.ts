/**
 * `npm run models:taesd -- DIR [--seed N]`: a random-weight TAESD decoder folder (see
 * writeTaesdFolder), for tests and timings where the published weights are not at hand.
 */
import { Command } from 'commander';
import { runAction } from '../../cli/runAction.js';
import { parseSeed } from '../../cli/parseSeed.js';
import { writeTaesdFolder } from './writeTaesdFolder.js';

const program = new Command('models:taesd')
  .description('write a TAESD decoder folder (vae_decoder/model.onnx + config.json) with random weights of the real architecture')
  .argument('<dir>', 'folder to write (created if missing)')
  .option('--seed <n>', 'weight seed (default 0)')
  .addHelpText('after', '\nUse it from a preset with `vae: DIR` (docs/presets.md).\n\nExample:\n  $ npm run models:taesd -- models/taesd-random --seed 1\n')
  .action(runAction((dir: string, opts: { seed?: string }) => {
    const path = writeTaesdFolder(dir, { seed: opts.seed === undefined ? 0 : parseSeed(opts.seed) });
    console.log(`models:taesd: ${path}`);
  }));
await program.parseAsync();
