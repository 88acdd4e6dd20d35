import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { loadTokenizer } from '../../tokenizer/loadTokenizer.js';
import { runAction } from '../runAction.js';

interface TokenizeOptions {
  readonly model?: string;
  readonly json?: boolean;
}

/**
 * The tokenizer folder of a model: MODEL/tokenizer/, or MODEL itself when it is a tokenizer folder
 * (has vocab.json), so a bare tokenizer download works too.
 */
function tokenizerDirOf(model: string | undefined): string {
  if (model === undefined) throw new UserError('--model <dir> is required: the model folder that holds tokenizer/');
  if (!existsSync(model) || !statSync(model).isDirectory()) throw new UserError(`${model}: model folder not found`);
  if (existsSync(join(model, 'vocab.json'))) return model;
  const dir = join(model, 'tokenizer');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${model}: no tokenizer/ folder (expected a diffusers/Optimum export with tokenizer/vocab.json and tokenizer/merges.txt)`);
  }
  return dir;
}

/** `tokenize --model DIR PROMPT`: the token ids the model's text encoder receives for PROMPT. */
export function tokenizeCommand(): Command {
  return new Command('tokenize')
    .summary('the CLIP token ids a model\'s text encoder receives for a prompt')
    .description(
      'Tokenizes PROMPT with the CLIP tokenizer of the model in DIR (DIR/tokenizer/vocab.json, merges.txt, and ' +
      'special_tokens_map.json / tokenizer_config.json when present) and prints the model_max_length (77) ids: ' +
      'BOS, the prompt\'s tokens, EOS, then the pad token; a longer prompt keeps its first 75 tokens. The text is ' +
      'cleaned as CLIP does (lower-cased, whitespace collapsed). Weighting brackets such as (word:1.5) are not ' +
      'interpreted here: they are tokenized as typed.')
    .argument('<prompt>', 'the text prompt (quote it)')
    .option('--model <dir>', 'model folder with a tokenizer/ subfolder (or a tokenizer folder itself)')
    .option('--json', 'print the ids as one JSON array instead of a space-separated line')
    .addHelpText('after', `
Examples:
  $ synesthete tokenize --model riffusion-onnx "steady beat"
  49406 12937 3018 49407 49407 ... 49407
  $ synesthete tokenize --model riffusion-onnx --json "steady beat"
  [49406,12937,3018,49407,49407,...,49407]`)
    .action(runAction((prompt: string, opts: TokenizeOptions) => {
      const ids = Array.from(loadTokenizer(tokenizerDirOf(opts.model)).encodePadded(prompt));
      process.stdout.write(opts.json ? `${JSON.stringify(ids)}\n` : `${ids.join(' ')}\n`);
    }));
}
