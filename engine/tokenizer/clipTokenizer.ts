/**
 * CLIP's byte-level BPE tokenizer, with the semantics of OpenAI CLIP's `simple_tokenizer.py` (which
 * Hugging Face's CLIPTokenizer reproduces). Pure: the vocabulary and merges come in as values;
 * `loadTokenizer.ts` reads them from a model folder.
 */

/** Everything a CLIP tokenizer is made of, as found in a diffusers `tokenizer/` folder. */
export interface ClipTokenizerSpec {
  /** vocab.json: token string -> id */
  readonly vocab: Readonly<Record<string, number>>;
  /** the merges.txt lines after the `#version` header, each "left right", highest priority first */
  readonly merges: readonly string[];
  /** start-of-text token, `<|startoftext|>` in CLIP */
  readonly bosToken: string;
  /** end-of-text token, `<|endoftext|>` in CLIP */
  readonly eosToken: string;
  /** padding token: `<|endoftext|>` in SD 1.x, `!` in some SD 2 exports */
  readonly padToken: string;
  /** token for a BPE piece missing from the vocabulary (cannot happen with CLIP's vocab); defaults to eosToken */
  readonly unkToken?: string;
  /** length of `encodePadded` output, the text encoder's context: 77 in CLIP */
  readonly maxLength: number;
}

/** Suffix CLIP's BPE glues to the last symbol of every word, so "beat" and "beat" inside "beats" differ. */
const END_OF_WORD = '</w>';

const BOS_TEXT = '<|startoftext|>';
const EOS_TEXT = '<|endoftext|>';

/**
 * CLIP's pre-tokenizer: the special tokens, English contractions, runs of letters, single digits
 * (so numbers spell out digit by digit) and runs of other non-space characters. `\s` of the
 * reference's `regex` module is Unicode White_Space, hence `\p{White_Space}`. Case-insensitive
 * like the original, though the text is lower-cased before it gets here.
 */
const WORD_PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{White_Space}\p{L}\p{N}]+/giu;

/**
 * GPT-2's reversible byte -> character table: printable Latin-1 bytes map to themselves, the rest
 * to U+0100 upwards, so every UTF-8 byte sequence becomes a string of visible, non-space
 * characters that the vocabulary can spell.
 */
function bytesToUnicode(): string[] {
  const table = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCodePoint(printable ? b : next++);
  }
  return table;
}

const BYTE_TO_CHAR = bytesToUnicode();
const UTF8 = new TextEncoder();

/**
 * The text cleaning the token ids depend on, from the reference's `whitespace_clean(basic_clean(t)).lower()`:
 * NFC normalisation and straight quotes (the parts of ftfy's `fix_text` a typed prompt meets), Unicode
 * whitespace runs collapsed to one space, ends stripped, lower-cased. Not done: ftfy's mojibake, ligature
 * and full-width repairs and the HTML unescaping (`&amp;` stays five characters). HF's CLIPTokenizer
 * without ftfy installed falls back to BERT's BasicTokenizer, whose ids differ from the reference's
 * (and these) for curly quotes, CJK ideographs and control characters.
 */
export function cleanClipText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u02bc\u2018-\u201b]/gu, "'")
    .replace(/[\u201c-\u201f]/gu, '"')
    .replace(/\p{White_Space}+/gu, ' ')
    // Python's strip(), not JS trim(): it also drops U+001C..U+001F and keeps U+FEFF.
    .replace(/^[\p{White_Space}\u001c-\u001f]+|[\p{White_Space}\u001c-\u001f]+$/gu, '')
    .toLowerCase();
}

/** A CLIP tokenizer: text -> token ids, plain (`encode`) or framed and padded for the text encoder (`encodePadded`). */
export class ClipTokenizer {
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly maxLength: number;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly unkId: number;
  /** "left right" -> merge priority (lower merges first) */
  private readonly ranks: ReadonlyMap<string, number>;
  /** pre-tokenized word -> its ids; prompts repeat words, and BPE is the costly step */
  private readonly cache = new Map<string, readonly number[]>();

  constructor(spec: ClipTokenizerSpec) {
    this.vocab = new Map(Object.entries(spec.vocab));
    const idOf = (token: string, role: string): number => {
      const id = this.vocab.get(token);
      if (id === undefined) throw new Error(`CLIP tokenizer: ${role} token ${JSON.stringify(token)} is not in the vocabulary`);
      return id;
    };
    this.bosId = idOf(spec.bosToken, 'bos');
    this.eosId = idOf(spec.eosToken, 'eos');
    this.padId = idOf(spec.padToken, 'pad');
    this.unkId = idOf(spec.unkToken ?? spec.eosToken, 'unk');
    if (!Number.isInteger(spec.maxLength) || spec.maxLength < 2) throw new Error(`CLIP tokenizer: maxLength ${spec.maxLength} leaves no room for BOS and EOS`);
    this.maxLength = spec.maxLength;
    const ranks = new Map<string, number>();
    // A duplicated merge keeps its last rank, as the reference's dict(zip(merges, range(n))) does.
    spec.merges.forEach((merge, rank) => ranks.set(merge, rank));
    this.ranks = ranks;
    // The reference pre-seeds its cache so that special tokens typed in the text stay one token.
    for (const special of [BOS_TEXT, EOS_TEXT]) {
      const id = this.vocab.get(special);
      if (id !== undefined) this.cache.set(special, [id]);
    }
  }

  /** BPE ids of `text`, without BOS, EOS or padding. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const match of cleanClipText(text).matchAll(WORD_PATTERN)) {
      for (const id of this.encodeWord(match[0])) ids.push(id);
    }
    return ids;
  }

  /**
   * What the text encoder takes: BOS, the ids, EOS, then the pad token up to `maxLength`. A longer
   * text keeps its first `maxLength - 2` ids, still framed by BOS and EOS (HF's truncation=True).
   */
  encodePadded(text: string): Int32Array {
    return this.frame(this.encode(text));
  }

  /** BOS + the first `maxLength - 2` of `ids` + EOS, padded with the pad token to `maxLength`. */
  frame(ids: readonly number[]): Int32Array {
    const out = new Int32Array(this.maxLength).fill(this.padId);
    const n = Math.min(ids.length, this.maxLength - 2);
    out[0] = this.bosId;
    for (let i = 0; i < n; i++) out[i + 1] = ids[i]!;
    out[n + 1] = this.eosId;
    return out;
  }

  private encodeWord(word: string): readonly number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let chars = '';
    for (const byte of UTF8.encode(word)) chars += BYTE_TO_CHAR[byte]!;
    const ids = this.bpe(chars).map((piece) => this.vocab.get(piece) ?? this.unkId);
    this.cache.set(word, ids);
    return ids;
  }

  /**
   * Greedy BPE: repeatedly merge the adjacent pair with the lowest rank, every occurrence of it left
   * to right, until no adjacent pair is a known merge.
   */
  private bpe(chars: string): string[] {
    const symbols = Array.from(chars);
    symbols[symbols.length - 1] += END_OF_WORD;
    while (symbols.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(`${symbols[i]} ${symbols[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const left = symbols[best]!;
      const right = symbols[best + 1]!;
      const merged: string[] = symbols.slice(0, best);
      for (let i = best; i < symbols.length; i++) {
        if (symbols[i] === left && symbols[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else {
          merged.push(symbols[i]!);
        }
      }
      symbols.splice(0, symbols.length, ...merged);
    }
    return symbols;
  }
}
