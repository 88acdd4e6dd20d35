#!/usr/bin/env node
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { stepProgress } from '../../cli/stepProgress.js';
import { runAction } from '../../cli/runAction.js';
import { UserError } from '../../errors.js';
import { SD15 } from './fullsizeModel.js';
import { writeFullsizeFolder } from './writeFullsizeFolder.js';

/**
 * `npm run models:fullsize -- DIR [--fp16] [--seed N]`: writes a Stable Diffusion 1.5-sized model
 * folder with random weights (see writeFullsizeFolder.ts), about 4.1 GB in float32, 2.1 GB in fp16.
 */
const defaultTokenizer = fileURLToPath(new URL('../../../../test/fixtures/tiny-sd/audio/tokenizer', import.meta.url));

const program = new Command()
  .name('models:fullsize')
  .description('Write a model folder (Optimum ONNX layout) with exactly Stable Diffusion 1.5\'s architecture and sizes and random '
    + 'weights named as in diffusers\' state dict: for measuring what real models cost without downloading them.')
  .argument('<dir>', 'output folder (new or empty; put it outside the repository: about 4.1 GB in float32)')
  .option('--fp16', 'float16 weights and arithmetic (inputs and outputs stay float32)')
  .addOption(new Option('--seed <n>', 'seed of the random weights (same seed, same bytes)').default('0'))
  .option('--tokenizer <dir>', 'CLIP tokenizer folder to copy', defaultTokenizer)
  .action(runAction(async (dir: string, opts: { fp16?: boolean; seed: string; tokenizer: string }) => {
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UserError(`--seed: expected an integer 0..4294967295, got '${opts.seed}'`);
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UserError(`${dir}: not empty (the generator writes a new folder)`);
    if (!existsSync(resolve(opts.tokenizer, 'vocab.json'))) throw new UserError(`--tokenizer ${opts.tokenizer}: no vocab.json there`);
    const progress = stepProgress();
    const started = performance.now();
    const mb = (b: number) => Math.round(b / 1e6);
    const counts = await writeFullsizeFolder(dir, {
      config: SD15, floatType: opts.fp16 ? 'float16' : 'float32', seed, tokenizerDir: opts.tokenizer,
      onProgress: (written, total, part) => progress.update(mb(written), mb(total), `MB of weights (${part})`),
    });
    progress.stop();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`wrote ${dir}: ${Object.entries(counts).map(([p, n]) => `${p} ${n.toLocaleString('en')}`).join(', ')} parameters `
      + `(${total.toLocaleString('en')} in all, ${opts.fp16 ? 'float16' : 'float32'}, seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }));

await program.parseAsync();
