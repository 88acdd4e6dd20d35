import { UserError } from '../errors.js';
import type { ClipTokenizer } from './clipTokenizer.js';

/**
 * Riffusion's prompt weighting (the "lpw" syntax of diffusers' long-prompt-weighting community
 * pipeline, which Riffusion copies): `(words)` x1.1, `[words]` /1.1, `(words:1.5)` an explicit
 * factor, nesting multiplies, `\(` `\)` `\[` `\]` `\\` are literal. Pure.
 */

/** A stretch of prompt text and the factor its token embeddings get. */
export interface WeightedChunk {
  readonly text: string;
  readonly weight: number;
}

/** Token ids framed like `ClipTokenizer.encodePadded`, and one weight per position. */
export interface WeightedTokens {
  readonly ids: Int32Array;
  /** the chunk's weight for each prompt token; 1 for BOS, EOS and padding */
  readonly weights: Float32Array;
}

const ROUND_FACTOR = 1.1;
const SQUARE_FACTOR = 1 / 1.1;

/**
 * The reference's scanner, alternative by alternative: escapes, openers, `:weight)` closers, plain
 * closers, plain text, and a `:` that is not a weight. Order matters: the escapes come first.
 */
const ATTENTION_PATTERN = /\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:([+-]?[.\d]+)\)|\)|\]|[^\\()[\]:]+|:/gu;

/**
 * Splits a prompt into chunks of equal weight, as the reference's `parse_prompt_attention` does:
 * a bracket left open applies to the end of the prompt, a stray closer is plain text, adjacent
 * chunks of exactly equal weight are joined, and an empty prompt is one empty chunk of weight 1.
 * A weight that is not a number (`(a:1.2.3)`) is a UserError, where the reference crashes.
 */
export function parsePromptWeights(prompt: string): WeightedChunk[] {
  const chunks: { text: string; weight: number }[] = [];
  const round: number[] = [];
  const square: number[] = [];
  // Multiplying every chunk since the opener, in order, keeps the reference's float rounding.
  const scale = (from: number, factor: number) => {
    for (let i = from; i < chunks.length; i++) chunks[i]!.weight *= factor;
  };

  for (const [token, weight] of prompt.matchAll(ATTENTION_PATTERN)) {
    if (token.startsWith('\\')) chunks.push({ text: token.slice(1), weight: 1 });
    else if (token === '(') round.push(chunks.length);
    else if (token === '[') square.push(chunks.length);
    else if (weight !== undefined && round.length > 0) scale(round.pop()!, parseWeight(weight));
    else if (token === ')' && round.length > 0) scale(round.pop()!, ROUND_FACTOR);
    else if (token === ']' && square.length > 0) scale(square.pop()!, SQUARE_FACTOR);
    else chunks.push({ text: token, weight: 1 });
  }
  for (const from of round) scale(from, ROUND_FACTOR);
  for (const from of square) scale(from, SQUARE_FACTOR);

  if (chunks.length === 0) return [{ text: '', weight: 1 }];
  const merged = [chunks[0]!];
  for (const chunk of chunks.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (last.weight === chunk.weight) last.text += chunk.text;
    else merged.push(chunk);
  }
  return merged;
}

function parseWeight(text: string): number {
  const weight = Number(text);
  if (!Number.isFinite(weight)) throw new UserError(`prompt weight ":${text})" is not a number`);
  return weight;
}

/**
 * Token ids and per-token weights of a weighted prompt. Each chunk is tokenized on its own (so
 * `a(b)c` is three words, as in the reference), the ids are truncated to `maxLength - 2` and
 * framed by BOS/EOS with the tokenizer's pad token. Riffusion pads with EOS instead, which is the
 * same id for SD 1.x; and it would spread a prompt over 75 tokens across up to 3 encoder passes,
 * where this keeps the first 75 like the plain tokenizer.
 */
export function tokenizeWeighted(tokenizer: Pick<ClipTokenizer, 'encode' | 'frame' | 'maxLength'>, prompt: string): WeightedTokens {
  const room = tokenizer.maxLength - 2;
  const ids: number[] = [];
  const weights = new Float32Array(tokenizer.maxLength).fill(1);
  for (const chunk of parsePromptWeights(prompt)) {
    for (const id of tokenizer.encode(chunk.text)) {
      if (ids.length === room) break;
      ids.push(id);
      weights[ids.length] = chunk.weight;
    }
  }
  return { ids: tokenizer.frame(ids), weights };
}
