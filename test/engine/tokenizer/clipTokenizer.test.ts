import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer, cleanClipText } from '../../../engine/tokenizer/clipTokenizer.js';
import { loadTokenizer } from '../../../engine/tokenizer/loadTokenizer.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

interface Golden {
  readonly prompt: string;
  readonly bpe_ids: number[];
  readonly input_ids_77: number[];
}

const TOKENIZER_DIR = fixture('tiny-sd/audio/tokenizer');
const GOLDEN: Golden[] = JSON.parse(readFileSync(fixture('clip-tokenizer/golden.json'), 'utf8'));
const VOCAB: Record<string, number> = JSON.parse(readFileSync(join(TOKENIZER_DIR, 'vocab.json'), 'utf8'));
const BOS = 49406;
const EOS = 49407;

/** A copy of the fixture tokenizer folder with some files replaced (null = left out). */
function tokenizerCopy(files: Record<string, string | null>): string {
  const dir = tempDir();
  for (const name of ['vocab.json', 'merges.txt', 'special_tokens_map.json', 'tokenizer_config.json']) {
    const replacement = files[name];
    if (replacement === undefined) copyFileSync(join(TOKENIZER_DIR, name), join(dir, name));
    else if (replacement !== null) writeFileSync(join(dir, name), replacement);
  }
  return dir;
}

describe('ClipTokenizer', () => {
  let tokenizer: ClipTokenizer;
  beforeAll(() => {
    tokenizer = loadTokenizer(TOKENIZER_DIR);
  });

  it.each(GOLDEN.map((g) => [JSON.stringify(g.prompt).slice(0, 60), g] as const))('matches the reference ids for %s', (_, g) => {
    expect(tokenizer.encode(g.prompt)).toEqual(g.bpe_ids);
    expect(Array.from(tokenizer.encodePadded(g.prompt))).toEqual(g.input_ids_77);
  });

  it('reads BOS, EOS, pad and the length from the files', () => {
    expect([tokenizer.bosId, tokenizer.eosId, tokenizer.padId, tokenizer.maxLength]).toEqual([BOS, EOS, EOS, 77]);
  });

  it('truncates a long prompt to BOS + its first 75 ids + EOS', () => {
    const prompt = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const ids = tokenizer.encode(prompt);
    expect(ids.length).toBeGreaterThan(75);
    const padded = tokenizer.encodePadded(prompt);
    expect(padded).toBeInstanceOf(Int32Array);
    expect(Array.from(padded)).toEqual([BOS, ...ids.slice(0, 75), EOS]);
  });

  it('fits exactly 75 ids without truncation or padding', () => {
    const prompt = Array.from({ length: 75 }, () => 'castle').join(' ');
    expect(tokenizer.encode(prompt)).toEqual(new Array(75).fill(3540));
    expect(Array.from(tokenizer.encodePadded(prompt))).toEqual([BOS, ...new Array(75).fill(3540), EOS]);
  });

  it('keeps special tokens typed in the text as one token each', () => {
    expect(tokenizer.encode('beat<|endoftext|>beat <|startoftext|>')).toEqual([3018, EOS, 3018, BOS]);
  });

  it('cleans text as the reference does: NFC, straight quotes, whitespace, case', () => {
    expect(cleanClipText('  Don\u2019t \u201cSTOP\u201d\u3000now\u0085 ')).toBe('don\'t "stop" now');
    expect(tokenizer.encode('cafe\u0301')).toEqual(tokenizer.encode('caf\u00e9'));
    expect(tokenizer.encode('don\u2019t stop')).toEqual(tokenizer.encode('don\'t stop'));
    // Python's strip() drops U+001C..U+001F at the ends, its \s does not collapse them inside.
    expect(cleanClipText('\u001c a\u001cb \u001f')).toBe('a\u001cb');
  });
});

describe('loadTokenizer', () => {
  it('pads with the pad token special_tokens_map.json names (SD 2 exports use "!")', () => {
    const dir = tokenizerCopy({
      'special_tokens_map.json': JSON.stringify({ bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '!', unk_token: '<|endoftext|>' }),
    });
    const t = loadTokenizer(dir);
    expect(t.padId).toBe(VOCAB['!']);
    expect(Array.from(t.encodePadded('steady beat'))).toEqual([BOS, 12937, 3018, EOS, ...new Array(73).fill(VOCAB['!'])]);
  });

  it('accepts AddedToken objects and falls back to tokenizer_config.json, then to CLIP defaults', () => {
    const dir = tokenizerCopy({
      'special_tokens_map.json': JSON.stringify({ pad_token: { content: '!', lstrip: false } }),
      'tokenizer_config.json': JSON.stringify({ model_max_length: 16, bos_token: { __type: 'AddedToken', content: '<|startoftext|>' } }),
    });
    const t = loadTokenizer(dir);
    expect([t.bosId, t.eosId, t.padId, t.maxLength]).toEqual([BOS, EOS, VOCAB['!'], 16]);
    expect(t.encodePadded('castle')).toHaveLength(16);
  });

  it('works with vocab.json and merges.txt alone, and treats a huge model_max_length as unset', () => {
    expect(loadTokenizer(tokenizerCopy({ 'special_tokens_map.json': null, 'tokenizer_config.json': null })).encodePadded('x')).toHaveLength(77);
    const t = loadTokenizer(tokenizerCopy({ 'tokenizer_config.json': JSON.stringify({ model_max_length: 1e30 }) }));
    expect(t.maxLength).toBe(77);
  });

  it.each([
    ['vocab.json', null, /vocab\.json: missing/],
    ['merges.txt', null, /merges\.txt: missing/],
    ['vocab.json', '{"a": 1,', /vocab\.json: not valid JSON/],
    ['vocab.json', '[1, 2]', /vocab\.json: expected a JSON object/],
    ['merges.txt', '#version: 0.2\ni n\nthis is three\n', /merges\.txt: line 3 is not a merge/],
    ['merges.txt', '#version: 0.2\n', /merges\.txt: no merges/],
    ['special_tokens_map.json', 'not json', /special_tokens_map\.json: not valid JSON/],
    ['special_tokens_map.json', '{"pad_token": "<pad>"}', /special_tokens_map\.json: pad_token "<pad>" is not in .*vocab\.json/],
    ['special_tokens_map.json', '{"pad_token": 7}', /special_tokens_map\.json: pad_token is neither/],
    ['tokenizer_config.json', '{"model_max_length": 1.5}', /tokenizer_config\.json: model_max_length 1.5 is not an integer/],
  ] as const)('names the file when %s is %s', (name, content, message) => {
    const dir = tokenizerCopy({ [name]: content });
    expect(() => loadTokenizer(dir)).toThrow(expect.objectContaining({ name: 'UserError', message: expect.stringMatching(message) }));
    expect(() => loadTokenizer(dir)).toThrow(join(dir, name));
  });
});
