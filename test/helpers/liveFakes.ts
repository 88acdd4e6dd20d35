import type { Command } from '../../control/protocol/commands.js';
import { type AudioSink, type PlayedPosition, type SinkStats, playedPosition } from '../../engine/audio/audioSink.js';
import type { ControlSettings } from '../../engine/live/controlState.js';
import type { SegmentDraft } from '../../engine/live/segment.js';
import type { SegmentSource } from '../../engine/live/segmentSource.js';

/** A small sample rate keeps frame arithmetic readable in live-engine tests. */
export const TEST_RATE = 1000;

/**
 * Collects what a show plays (left channel), unpaced: time in tests is the output's own frame
 * count (the fake clock), never the wall clock.
 */
export class CollectingSink implements AudioSink {
  readonly sampleRate = TEST_RATE;
  readonly channels = 2;
  readonly stats: SinkStats = { underflows: 0, framesWritten: 0, errors: 0 };
  readonly outputLatency = 0;
  readonly paced = false;
  readonly left: number[] = [];
  readonly right: number[] = [];
  started = false;
  closed = false;
  /** @param keepFrames frames kept for inspection (a long offline run would not fit in an array) */
  constructor(readonly framesPerChunk = 50, private readonly keepFrames = 10_000_000) {}
  position(): PlayedPosition { return playedPosition(this); }
  async start(): Promise<void> { this.started = true; }
  async write(chunk: Float32Array): Promise<void> {
    for (let f = 0; f < this.framesPerChunk && this.left.length < this.keepFrames; f++) {
      this.left.push(chunk[2 * f]!);
      this.right.push(chunk[2 * f + 1]!);
    }
    this.stats.framesWritten += this.framesPerChunk;
    // let the generator run between chunks, as it would while a device plays
    await new Promise((r) => setImmediate(r));
  }
  async close(): Promise<void> { this.closed = true; }
}

/**
 * Segments whose samples all equal 1 + the settings version they were rendered for (so the audio
 * says which command it reflects), `frames` long. Records renders, aborts and disposal; refuses
 * prompts like the imprint source does.
 */
export class VersionSource implements SegmentSource {
  renders = 0;
  aborted = 0;
  disposed = false;
  constructor(readonly name: ControlSettings['source'] = 'imprint', private readonly frames = 5120, private readonly delayMs = 0) {}
  refuse(command: Command): string | null {
    return command.type === 'prompt' ? 'this source has no prompts' : null;
  }
  async render(settings: Readonly<ControlSettings>, signal: AbortSignal): Promise<SegmentDraft> {
    this.renders++;
    if (this.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, this.delayMs);
        signal.addEventListener('abort', () => { clearTimeout(t); this.aborted++; reject(new Error('cancelled')); }, { once: true });
      });
    }
    const audio = new Float32Array(this.frames).fill(1 + settings.version);
    return {
      picture: { width: 2, height: 1, rgb: new Uint8Array(6).fill(settings.version) }, audio: [audio, audio], bars: null,
      recipe: { source: this.name, preset: null, prompts: { audio: null, picture: null }, seed: settings.seed, description: `v${settings.version}` },
    };
  }
  async dispose(): Promise<void> { this.disposed = true; }
}
