import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { readJsonObject } from '../io/readJsonObject.js';
import { ClipTokenizer, type ClipTokenizerSpec } from './clipTokenizer.js';

/** CLIP's context length, used when tokenizer_config.json does not say (or says "unlimited"). */
const CLIP_MAX_LENGTH = 77;
/**
 * transformers writes model_max_length = 1e30 when a tokenizer has no limit; anything that large
 * is that sentinel, not a context length.
 */
const UNLIMITED = 1e6;

type Json = Record<string, unknown>;

/**
 * Reads a CLIP tokenizer from a diffusers `tokenizer/` folder: vocab.json, merges.txt and, when
 * present, special_tokens_map.json (bos/eos/pad/unk) and tokenizer_config.json (model_max_length,
 * and special tokens the map lacks). The pad token is read, never assumed: SD 1.x pads with
 * `<|endoftext|>`, some SD 2 exports with `!`.
 */
export function loadTokenizer(dir: string): ClipTokenizer {
  const vocabFile = join(dir, 'vocab.json');
  const vocab = readJson(vocabFile);
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id)) throw new UserError(`${vocabFile}: id of ${JSON.stringify(token)} is not an integer`);
  }
  const merges = readMerges(join(dir, 'merges.txt'));

  const mapFile = join(dir, 'special_tokens_map.json');
  const configFile = join(dir, 'tokenizer_config.json');
  const map = existsSync(mapFile) ? readJson(mapFile) : {};
  const config = existsSync(configFile) ? readJson(configFile) : {};
  // The map wins over the config, as in transformers; null means "not set" in both.
  const special = (key: string, fallback: string): string => {
    const source = map[key] != null ? { value: map[key], file: mapFile } : config[key] != null ? { value: config[key], file: configFile } : undefined;
    if (!source) {
      if (!Object.hasOwn(vocab, fallback)) throw new UserError(`${vocabFile}: no ${JSON.stringify(fallback)}, the default ${key}, and no special_tokens_map.json names another`);
      return fallback;
    }
    const token = tokenContent(source.value);
    if (token === undefined) throw new UserError(`${source.file}: ${key} is neither a string nor {"content": string}`);
    if (!Object.hasOwn(vocab, token)) throw new UserError(`${source.file}: ${key} ${JSON.stringify(token)} is not in ${vocabFile}`);
    return token;
  };

  const spec: ClipTokenizerSpec = {
    vocab: vocab as Record<string, number>,
    merges,
    bosToken: special('bos_token', '<|startoftext|>'),
    eosToken: special('eos_token', '<|endoftext|>'),
    padToken: special('pad_token', '<|endoftext|>'),
    unkToken: special('unk_token', '<|endoftext|>'),
    maxLength: maxLengthOf(config, configFile),
  };
  return new ClipTokenizer(spec);
}

function readJson(file: string): Json {
  return readJsonObject(file, 'a CLIP tokenizer needs vocab.json and merges.txt') as Json;
}

/**
 * merges.txt: an optional `#version` header, then one "left right" pair per line. Blank lines are
 * skipped (files end with one); anything else that is not two space-separated symbols is an error,
 * since a silently dropped merge changes the ids of every word that needs it.
 */
function readMerges(file: string): string[] {
  if (!existsSync(file)) throw new UserError(`${file}: missing (a CLIP tokenizer needs vocab.json and merges.txt)`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const merges: string[] = [];
  lines.forEach((line, i) => {
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    if (!/^\S+ \S+$/u.test(line)) throw new UserError(`${file}: line ${i + 1} is not a merge "left right": ${JSON.stringify(line.slice(0, 60))}`);
    merges.push(line);
  });
  if (merges.length === 0) throw new UserError(`${file}: no merges`);
  return merges;
}

/** A special token as tokenizer files write it: a string, or an AddedToken object {"content": ...}. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as Json)['content'] === 'string') return (value as Json)['content'] as string;
  return undefined;
}

function maxLengthOf(config: Json, file: string): number {
  const value = config['model_max_length'];
  if (value === undefined || (typeof value === 'number' && value >= UNLIMITED)) return CLIP_MAX_LENGTH;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 3) {
    throw new UserError(`${file}: model_max_length ${JSON.stringify(value)} is not an integer >= 3`);
  }
  return value;
}
