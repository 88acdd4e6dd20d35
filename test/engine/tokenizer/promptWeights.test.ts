import { beforeAll, describe, expect, it } from 'vitest';
import type { ClipTokenizer } from '../../../engine/tokenizer/clipTokenizer.js';
import { loadTokenizer } from '../../../engine/tokenizer/loadTokenizer.js';
import { parsePromptWeights, tokenizeWeighted } from '../../../engine/tokenizer/promptWeights.js';
import { fixture } from '../../helpers/fixtures.js';

const chunks = (prompt: string) => parsePromptWeights(prompt).map((c) => [c.text, c.weight]);

describe('parsePromptWeights', () => {
  // The examples of the reference's docstring (diffusers lpw_stable_diffusion, as copied by Riffusion).
  it.each([
    ['normal text', [['normal text', 1]]],
    ['an (important) word', [['an ', 1], ['important', 1.1], [' word', 1]]],
    ['(unbalanced', [['unbalanced', 1.1]]],
    ['\\(literal\\]', [['(literal]', 1]]],
    ['(unnecessary)(parens)', [['unnecessaryparens', 1.1]]],
    ['a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).', [
      ['a ', 1], ['house', 1.5730000000000004], [' ', 1.1], ['on', 1], [' a ', 1.1], ['hill', 0.55],
      [', sun, ', 1.1], ['sky', 1.4641000000000006], ['.', 1.1],
    ]],
  ] as const)('parses %s as the reference does', (prompt, expected) => {
    expect(chunks(prompt)).toEqual(expected);
  });

  it('divides by 1.1 in square brackets and multiplies nested brackets', () => {
    expect(chunks('[quiet] ([[x]])')).toEqual([['quiet', 1 / 1.1], [' ', 1], ['x', 1.1 * (1 / 1.1) * (1 / 1.1)]]);
    expect(chunks('((a:2):1.5)')).toEqual([['a', 3]]);
  });

  it('keeps stray closers, colons and a lone backslash as text', () => {
    expect(chunks('a) b] c:d e:1.5)')).toEqual([['a) b] c:d e:1.5)', 1]]);
    expect(chunks('a\\ b \\\\')).toEqual([['a b \\', 1]]);
  });

  it('gives one empty chunk for an empty prompt', () => {
    expect(chunks('')).toEqual([['', 1]]);
    expect(chunks('()')).toEqual([['', 1]]);
  });

  it('rejects a weight that is not a number', () => {
    expect(() => parsePromptWeights('(a:1.2.3)')).toThrow(/prompt weight ":1\.2\.3\)" is not a number/);
  });
});

describe('tokenizeWeighted', () => {
  let tokenizer: ClipTokenizer;
  beforeAll(() => {
    tokenizer = loadTokenizer(fixture('tiny-sd/audio/tokenizer'));
  });

  it('weights each chunk\'s tokens, 1 for BOS, EOS and padding', () => {
    const { ids, weights } = tokenizeWeighted(tokenizer, '(caribbean:1.5) [jazz]');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(weights).toBeInstanceOf(Float32Array);
    expect(Array.from(ids)).toEqual(Array.from(tokenizer.encodePadded('caribbean jazz')));
    const expected = new Float32Array(77).fill(1);
    expected[1] = 1.5;
    expected[2] = 1 / 1.1;
    expect(weights).toEqual(expected);
  });

  it('gives the plain ids and all-ones weights for an unweighted prompt', () => {
    const prompt = 'fast steady beat exotic ethnic hard rock folk metal';
    const { ids, weights } = tokenizeWeighted(tokenizer, prompt);
    expect(ids).toEqual(tokenizer.encodePadded(prompt));
    expect(weights).toEqual(new Float32Array(77).fill(1));
  });

  it('truncates to 75 prompt tokens like the plain tokenizer', () => {
    const prompt = Array.from({ length: 80 }, () => '(castle)').join(' ');
    const { ids, weights } = tokenizeWeighted(tokenizer, prompt);
    expect(Array.from(ids)).toEqual([49406, ...new Array(75).fill(3540), 49407]);
    expect(Array.from(weights.subarray(1, 76))).toEqual(new Array(75).fill(Math.fround(1.1)));
    expect(weights[0]).toBe(1);
    expect(weights[76]).toBe(1);
  });
});
