import { parentPort } from 'node:worker_threads';
import type { AudioSink } from '../../audio/audioSink.js';
import { PortAudioSink } from '../../audio/portAudioSink.js';
import { WavFileSink } from '../../audio/wavFileSink.js';
import { isUserError } from '../../errors.js';
import { runAsAudioThread } from '../../workers/backgroundPriority.js';
import { InlineHost } from './inlineHost.js';
import type { AudioThreadData, AudioThreadMessage, AudioThreadReply } from './threadedHost.js';

/**
 * The audio thread: a Playback and a PortAudio sink with nothing else on their event loop, so
 * rendering, decoding, recording and control traffic on the main thread can never delay a chunk.
 */
// above everything else in the process where permitted; renders already run below normal
runAsAudioThread();
const port = parentPort!;
const reply = (r: AudioThreadReply) => port.postMessage(r);
let sink: AudioSink;
let host: InlineHost;
let reporter: NodeJS.Timeout | undefined;

function init(data: AudioThreadData): void {
  const onWarning = (message: string) => reply({ type: 'warning', message });
  const { kind, ...config } = data.sink;
  sink = kind === 'device' ? new PortAudioSink({ ...config, onWarning }) : new WavFileSink({ ...(config as { path: string }), onWarning });
  host = new InlineHost({ sink, offline: false, ...(data.crossfadeFrames !== undefined ? { crossfadeFrames: data.crossfadeFrames } : {}) });
  host.onNotes((notes) => reply({ type: 'notes', notes }));
  reporter = setInterval(report, 10);
}

function report(): void {
  reply({ type: 'position', filled: host.filledFrame(), wallMs: performance.timeOrigin + performance.now(), stats: { ...sink.stats }, outputLatency: sink.outputLatency });
}

port.on('message', (msg: AudioThreadMessage | { type: 'init'; data: AudioThreadData }) => {
  switch (msg.type) {
    case 'init': init(msg.data); break;
    case 'start':
      host.start().then(() => { report(); reply({ type: 'started', outputLatency: sink.outputLatency, device: sink instanceof PortAudioSink ? sink.deviceName : 'file' }); },
        (e: unknown) => reply({ type: 'failed', message: e instanceof Error ? e.message : String(e), userError: isUserError(e) }));
      break;
    case 'run':
      host.run(msg.frames).then(() => { report(); reply({ type: 'done' }); },
        (e: unknown) => reply({ type: 'failed', message: e instanceof Error ? e.message : String(e), userError: false }));
      break;
    case 'enqueue': host.enqueue(msg.segment, msg.at, msg.replace); break;
    case 'at': host.at(msg.frame, msg.op, msg.tag); break;
    case 'end': host.end(); break;
    case 'stop': host.stop(); break;
    case 'close':
      clearInterval(reporter);
      host.close().then(() => { reply({ type: 'closed', stats: { ...sink.stats } }); port.close(); });
      break;
  }
});
