import { spawn } from 'node:child_process';
import type { PulseNullSink } from './pulseAudio.js';

/** Milliseconds on the wall clock, as the capture stamps its samples. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * What reaches a PulseAudio null sink, captured from its monitor with parec at 5 ms latency and
 * put on the wall clock: the offset is the minimum over chunks of (arrival - index / rate), so
 * the least delayed chunk dates them all. Used to time commands to their first changed sample.
 */
export class SinkCapture {
  /** |left| + |right| per frame */
  private readonly samples: number[] = [];
  private pending = Buffer.alloc(0);
  private offset = Infinity;
  private readonly child;

  constructor(private readonly pulse: PulseNullSink) {
    this.child = spawn('parec', ['--latency-msec=5', '--format=float32le', `--rate=${pulse.sampleRate}`, '--channels=2', '--raw', '-d', `${pulse.sinkName}.monitor`], { env: pulse.env, stdio: ['ignore', 'pipe', 'ignore'] });
    this.child.stdout.on('data', (d: Buffer) => {
      const arrival = wallNow();
      this.pending = Buffer.concat([this.pending, d]);
      const frames = Math.floor(this.pending.length / 8);
      for (let f = 0; f < frames; f++) this.samples.push(Math.abs(this.pending.readFloatLE(8 * f)) + Math.abs(this.pending.readFloatLE(8 * f + 4)));
      this.pending = this.pending.subarray(frames * 8);
      this.offset = Math.min(this.offset, arrival - (this.samples.length / pulse.sampleRate) * 1000);
    });
  }

  /**
   * Seconds from a gain 0 -> 1 command sent at `sentMs` (wall clock) to its first sound at the
   * sink: the silence before the command is skipped, the first non-zero sample after it is the
   * first changed one.
   */
  silenceEndAfter(sentMs: number): number {
    const rate = this.pulse.sampleRate;
    const from = Math.max(0, Math.floor(((sentMs - this.offset) / 1000) * rate) - Math.round(0.3 * rate));
    let i = from;
    while (i < this.samples.length && this.samples[i]! !== 0) i++;
    while (i < this.samples.length && this.samples[i]! === 0) i++;
    return (this.offset + (i / rate) * 1000 - sentMs) / 1000;
  }

  stop(): void {
    this.child.kill();
  }
}
