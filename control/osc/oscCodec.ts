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
  let value: unknown;
  try {
    const packet = new OSC.Packet();
    packet.unpack(new DataView(data.buffer, data.byteOffset, data.byteLength));
    value = packet.value;
  } catch (e) {
    return { ok: false, reason: `malformed OSC packet (${data.byteLength} bytes): ${e instanceof Error ? e.message : String(e)}` };
  }
  const messages: DecodedMessage[] = [];
  flatten(value, messages);
  return { ok: true, messages };
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
