import oscJs from 'osc-js';
import type { OscArg, OscOut } from './oscAddressSpace.js';

// osc-js is a UMD bundle whose typings declare an ES default export: under Node's CommonJS
// interop the import is the OSC class itself at run time, the typings say `.default`.
export const OSC = ((oscJs as unknown as { default?: unknown }).default ?? oscJs) as typeof oscJs.default;

/** One message from a packet: bundles are flattened, in order. */
export interface DecodedMessage {
  readonly address: string;
  readonly args: readonly OscArg[];
}

export type DecodeResult = { ok: true; messages: DecodedMessage[] } | { ok: false; reason: string };

/**
 * Decodes a UDP datagram with osc-js's Packet. A bundle's messages are returned in order, to be
 * applied at once: osc-js rounds received timetags to whole seconds and schedules them with
 * setTimeout (up to a second late; ../shared/reference/live-stack.md), so timetags are ignored.
 * Never throws: anything osc-js cannot read is one reason.
 */
export function decodePacket(data: Uint8Array): DecodeResult {
  if (data.byteLength === 0) return { ok: false, reason: 'empty packet' };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const problem = checkPacket(view, 0, data.byteLength, 0);
  if (problem) return { ok: false, reason: `malformed OSC packet (${data.byteLength} bytes): ${problem}` };
  let value: unknown;
  try {
    const packet = new OSC.Packet();
    packet.unpack(view);
    value = packet.value;
  } catch (e) {
    return { ok: false, reason: `malformed OSC packet (${data.byteLength} bytes): ${e instanceof Error ? e.message : String(e)}` };
  }
  const messages: DecodedMessage[] = [];
  flatten(value, messages);
  return { ok: true, messages };
}

const MAX_BUNDLE_DEPTH = 8;
const BUNDLE_TAG = [0x23, 0x62, 0x75, 0x6e, 0x64, 0x6c, 0x65, 0x00]; // "#bundle\0"

/**
 * The packet's structure, checked strictly before osc-js reads it: osc-js accepts some malformed
 * packets (a string missing its terminator at the end of a packet reads as if it had one), and a
 * cut-off message must not become a valid shorter one. Returns what is wrong, or null.
 */
function checkPacket(view: DataView, start: number, end: number, depth: number): string | null {
  if ((end - start) % 4 !== 0) return 'its size is not a multiple of 4';
  if (end - start >= 16 && BUNDLE_TAG.every((b, i) => view.getUint8(start + i) === b)) {
    if (depth >= MAX_BUNDLE_DEPTH) return `bundles nested more than ${MAX_BUNDLE_DEPTH} deep`;
    for (let offset = start + 16; offset < end;) {
      if (offset + 4 > end) return 'a bundle element is cut off';
      const size = view.getInt32(offset);
      if (size <= 0 || size % 4 !== 0 || offset + 4 + size > end) return `a bundle element claims ${size} bytes, which do not fit`;
      const inner = checkPacket(view, offset + 4, offset + 4 + size, depth + 1);
      if (inner) return inner;
      offset += 4 + size;
    }
    return null;
  }
  if (view.getUint8(start) !== 0x2f) return 'it starts with neither "/" nor "#bundle"';
  let offset = stringEnd(view, start, end);
  if (offset < 0 || offset > end) return 'the address is not terminated';
  if (offset === end) return null; // no type tags: a message without arguments
  if (view.getUint8(offset) !== 0x2c) return 'the type tags do not start with ","';
  const tagsStart = offset + 1;
  offset = stringEnd(view, offset, end);
  if (offset < 0 || offset > end) return 'the type tags are not terminated';
  for (let t = tagsStart; view.getUint8(t) !== 0; t++) {
    const tag = String.fromCharCode(view.getUint8(t));
    if ('ifc'.includes(tag)) offset += 4;
    else if ('htd'.includes(tag)) offset += 8;
    else if ('sS'.includes(tag)) offset = stringEnd(view, offset, end);
    else if (tag === 'b') offset = offset + 4 > end ? -1 : offset + 4 + Math.ceil(Math.max(0, view.getInt32(offset)) / 4) * 4;
    else if (!'TFNI'.includes(tag)) return `unknown type tag ${JSON.stringify(tag)}`;
    if (offset < 0 || offset > end) return 'the arguments are cut off';
  }
  return offset === end ? null : `${end - offset} bytes after the arguments`;
}

/** Where the padded, NUL-terminated string at `offset` ends, or -1 if it has no terminator. */
function stringEnd(view: DataView, offset: number, end: number): number {
  for (let i = offset; i < end; i++) if (view.getUint8(i) === 0) return Math.min(end + 1, (Math.floor(i / 4) + 1) * 4);
  return -1;
}

function flatten(value: unknown, into: DecodedMessage[]): void {
  if (value instanceof OSC.Bundle) {
    for (const element of value.bundleElements as unknown[]) flatten(element, into);
  } else if (value instanceof OSC.Message) {
    const types = typeof value.types === 'string' ? value.types.replace(/^,/, '') : '';
    const args = Array.isArray(value.args) ? value.args : [];
    into.push({ address: String(value.address), args: args.map((v: unknown, i: number) => ({ type: types[i] ?? '?', value: v })) });
  }
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Encodes one message. Strings go out as UTF-8: osc-js writes each UTF-16 code unit as one byte,
 * so a string is handed over as its UTF-8 bytes, one character per byte. A whole number beyond
 * int32 (a seed above 2147483647) goes out as a double.
 */
export function encodeMessage(message: OscOut): Uint8Array {
  const args = message.args.map((a) => {
    if (a.type === 's') return { type: 's', value: Buffer.from(String(a.value), 'utf8').toString('latin1') };
    if (a.type === 'i' && (Number(a.value) > INT32_MAX || Number(a.value) < -INT32_MAX - 1)) return { type: 'd', value: Number(a.value) };
    return { type: a.type, value: a.value };
  });
  return new OSC.TypedMessage(message.address, args as never).pack();
}
