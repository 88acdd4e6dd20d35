/**
 * Child-process side of the listen-mode test: listens on a PortAudio input with the Listener while
 * a PortAudioSink plays scripted tones into the same PulseAudio null sink (the input is its
 * monitor), and reports, for every `listen` event, when it arrived and what its columns show.
 * A child process for the reasons given in portAudioPlayer.ts (PortAudio's environment, stdout).
 *
 * Run as: node --import tsx listenProbe.ts '<ProbeScript JSON>'
 */
import { PortAudioInput } from '../../../engine/audio/portAudioInput.js';
import { PortAudioSink } from '../../../engine/audio/portAudioSink.js';
import { Listener } from '../../../engine/live/listen/listener.js';
import { runProbe, sendToParent } from '../../helpers/nativeProbe.js';

export interface ProbeScript {
  /** the input to listen on and the output to play to */
  readonly input: string;
  readonly output: string;
  /** played one after the other; hz 0 is silence */
  readonly tones: readonly { readonly hz: number; readonly seconds: number }[];
}

/** One listen event as seen by the probe. */
export interface ProbeEvent {
  /** epoch ms when the event was published */
  readonly at: number;
  readonly firstColumn: number;
  readonly latency: number;
  /** per column: the darkest row and its value */
  readonly darkest: readonly (readonly [number, number])[];
}

export type ProbeMessage =
  | { readonly type: 'done'; readonly events: ProbeEvent[]; readonly toneStarts: number[]; readonly outputLatency: number; readonly inputLatency: number;
      readonly device: string; readonly overflows: number; readonly errors: number }
  | { readonly type: 'error'; readonly message: string };

const wallNow = (): number => performance.timeOrigin + performance.now();

const send = (m: ProbeMessage): Promise<void> => sendToParent(m);

async function main(): Promise<void> {
  const script = JSON.parse(process.argv[2]!) as ProbeScript;
  const events: ProbeEvent[] = [];
  const warnings: string[] = [];
  const input = new PortAudioInput({ device: script.input, onWarning: (m) => warnings.push(m) });
  const listener = new Listener({
    input,
    publish: (e) => {
      const bytes = Buffer.from(e.columns, 'base64');
      const darkest: [number, number][] = [];
      for (let c = 0; c < e.count; c++) {
        const col = bytes.subarray(c * e.height, (c + 1) * e.height);
        let best = 0;
        for (let r = 1; r < col.length; r++) if (col[r]! < col[best]!) best = r;
        darkest.push([best, col[best]!]);
      }
      events.push({ at: wallNow(), firstColumn: e.firstColumn, latency: e.latency, darkest });
    },
  });
  await listener.start();
  const sink = new PortAudioSink({ device: script.output, framesPerChunk: 256, maxQueue: 4, ringChunks: 1, onWarning: (m) => warnings.push(m) });
  await sink.start();
  const chunk = new Float32Array(sink.framesPerChunk * 2);
  const toneStarts: number[] = [];
  let phase = 0;
  for (const tone of script.tones) {
    const chunks = Math.round((tone.seconds * sink.sampleRate) / sink.framesPerChunk);
    const dphi = (2 * Math.PI * tone.hz) / sink.sampleRate;
    for (let k = 0; k < chunks; k++) {
      for (let i = 0; i < sink.framesPerChunk; i++) {
        chunk[2 * i] = chunk[2 * i + 1] = tone.hz > 0 ? 0.3 * Math.sin(phase) : 0;
        phase += dphi;
      }
      phase %= 2 * Math.PI;
      await sink.write(chunk);
      // the write that returns after the first chunk went in: the tone leaves PortAudio about a queue later
      if (k === 0) toneStarts.push(wallNow());
    }
  }
  await sink.close();
  await new Promise((r) => setTimeout(r, 300)); // the tail reaches the monitor
  await listener.dispose();
  if (warnings.length) throw new Error(`warnings: ${warnings.join('; ')}`);
  await send({
    type: 'done', events, toneStarts, outputLatency: sink.outputLatency, inputLatency: input.latency, device: input.deviceName,
    overflows: input.stats.overflows, errors: input.stats.errors,
  });
}

runProbe(main);
