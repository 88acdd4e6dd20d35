/**
 * Renders text that came from outside (a socket, a file, a fader bank) for a one-line message: cut
 * to `maxChars` characters with "…" marking the cut, and every control or invisible formatting
 * character (ESC, CR, NUL, DEL, C1 controls, bidi overrides, zero-width spaces, line separators)
 * written as a visible `\u{…}` escape, so an error message can neither drive a terminal nor be
 * made to say something it does not.
 *
 * @example
 * safeText('\u001b[2Jhello', 20); // '\\u{1b}[2Jhello'
 */
export function safeText(text: string, maxChars = 300): string {
  const chars = Array.from(text);
  const cut = chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}…` : text;
  return cut.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * A received string quoted for a message: JSON-style quotes around {@link safeText}.
 *
 * @example
 * describeInput('x'.repeat(1_000_000)); // '"xxxx…xxx…"' (40 characters and the mark)
 */
export function describeInput(text: string, maxChars = 40): string {
  return `"${safeText(text, maxChars).replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Whether `text` has at least one character a reader would see: not white space, not a control
 * or formatting character, not a combining mark on its own, not one of the blank "letters"
 * (Hangul fillers, braille blank). A prompt of only U+200B is as blank as "   ".
 */
export function hasVisibleCharacter(text: string): boolean {
  for (const c of text) if (!INVISIBLE.test(c)) return true;
  return false;
}

const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}\p{M}\u115f\u1160\u3164\uffa0\u2800]$/u;
