import { type Command, type SourceName, parseCommand } from '../../control/commands/commandSchema.js';
import type { EngineCounters, EngineEvent, EngineState } from '../../control/commands/engineState.js';
import type { ScriptedEvent } from '../../control/commands/eventScript.js';
import { type RunSummary, summarise } from '../../control/commands/runSummary.js';
import type { AudioSink } from '../audio/audioSink.js';
import { UserError } from '../errors.js';
import { type ControlSettings, applyCommand, initialSettings } from './controlState.js';
import type { Segment } from './segment.js';
import { SegmentPlayer } from './segmentPlayer.js';
import { SegmentRing } from './segmentRing.js';
import type { SegmentSource } from './segmentSource.js';

export interface LiveEngineOptions {
  readonly sink: AudioSink;
  /** creates a source by name when the engine first needs it */
  readonly openSource: (name: SourceName) => Promise<SegmentSource>;
  readonly source: SourceName;
  /** master tempo: segments are fitted to whole bars (default: free, natural lengths) */
  readonly tempoBpm?: number;
  /** segments kept rendered ahead of playback (default 2) */
  readonly ahead?: number;
  /** equal-power crossfade between segments, frames (default 2048, 46 ms) */
  readonly crossfadeFrames?: number;
  /** every event the engine publishes (state, commands, segment starts, warnings) */
  readonly onEvent?: (event: EngineEvent) => void;
  /** every segment boundary, including repeats of a late next segment (recording) */
  readonly onSegment?: (segment: Segment, at: number, repeat: boolean) => void;
  /** every accepted command (recording) */
  readonly onCommand?: (command: Command, at: number) => void;
  /**
   * Offline rendering (an unpaced WAV sink): wait for the next segment at each boundary instead of
   * repeating the current one, since nobody is listening in real time. Default false.
   */
  readonly waitForSegments?: boolean;
}

/** consecutive render failures after which an offline run gives up (nothing plays meanwhile) */
const MAX_OFFLINE_FAILURES = 5;

interface Timing {
  at: number;
  type: Command['type'];
  version: number;
  audibleAt: number | null;
}

/**
 * The live engine: a generator loop keeps `ahead` segments rendered (off the audio path, in
 * workers), a player loop feeds the sink chunk by chunk at the sink's pace and never stops, and
 * commands change the settings between them. Time is the audio clock: frames written / sample rate.
 */
export class LiveEngine {
  private settings: ControlSettings;
  private readonly ring: SegmentRing;
  private readonly player: SegmentPlayer;
  private readonly sources = new Map<SourceName, Promise<SegmentSource>>();
  private readonly counters = { lateSegments: 0, segmentsGenerated: 0, segmentsPlayed: 0, droppedSegments: 0, workerRestarts: 0 };
  private readonly timings: Timing[] = [];
  private script: ScriptedEvent[] = [];
  private nextSegmentId = 1;
  private running = false;
  private spaceWaiter: (() => void) | undefined;
  private segmentWaiter: (() => void) | undefined;
  /** the source has no more segments (a recorded session played out) */
  private sourceEnded = false;
  private consecutiveFailures = 0;
  private nowPlayingSince = 0;
  private framesWritten = 0;

  constructor(private readonly options: LiveEngineOptions) {
    this.settings = initialSettings(options.source, options.tempoBpm ?? null);
    this.ring = new SegmentRing(options.ahead ?? 2);
    this.player = new SegmentPlayer(() => this.takeNext(), (s, repeated, offset) => this.onBoundary(s, repeated, offset),
      options.crossfadeFrames ?? 2048, () => this.sourceEnded);
  }

  /** seconds of audio played so far */
  get time(): number {
    return this.framesWritten / this.options.sink.sampleRate;
  }

  /** Commands to apply when the audio clock reaches their `at` (the --events script). */
  schedule(events: readonly ScriptedEvent[]): void {
    this.script = [...this.script, ...events].sort((a, b) => a.at - b.at);
  }

  /** Applies a command now (JSON text or object); a bad one is rejected with a reason and changes nothing. */
  command(input: unknown): { ok: true } | { ok: false; reason: string } {
    const parsed = parseCommand(input);
    if (!parsed.ok) {
      this.emit({ type: 'command-rejected', at: this.time, reason: parsed.reason, input });
      return parsed;
    }
    this.settings = applyCommand(this.settings, parsed.command);
    this.timings.push({ at: this.time, type: parsed.command.type, version: this.settings.version, audibleAt: null });
    // queued segments no longer match: drop them so the change is heard at the next boundary
    this.counters.droppedSegments += this.ring.dropOlderThan(this.settings.version);
    this.wakeGenerator();
    this.emit({ type: 'command-accepted', at: this.time, command: parsed.command });
    this.options.onCommand?.(parsed.command, this.time);
    this.emitState();
    return { ok: true };
  }

  /** Plays until `seconds` of audio have been written (or `stop()`), then returns the summary. */
  async run(seconds: number): Promise<RunSummary> {
    const { sink } = this.options;
    this.running = true;
    // Pre-roll: the first segment is rendered before the output starts, so the show opens with
    // sound and the source's set-up work (loading, first-use compilation) cannot starve the
    // first chunks. Commands scripted before it are applied first.
    this.applyScript();
    while (this.running && this.ring.length === 0 && !this.sourceEnded && (await this.renderOne()));
    await sink.start();
    // The generator starts on the next turn of the event loop, after the player has queued its
    // first chunks: its set-up work on this thread must not delay the device's first audio.
    const generator = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.generate());
    const chunk = new Float32Array(sink.framesPerChunk * sink.channels);
    const endFrame = Math.round(seconds * sink.sampleRate);
    try {
      while (this.running && this.framesWritten < endFrame && !(this.sourceEnded && this.ring.length === 0 && this.player.remainingFrames === 0)) {
        this.applyScript();
        if (this.options.waitForSegments) await this.untilNextSegmentReady(sink.framesPerChunk);
        this.player.fill(chunk, sink.framesPerChunk);
        await sink.write(chunk);
        this.framesWritten += sink.framesPerChunk;
      }
    } finally {
      this.running = false;
      this.wakeGenerator();
      this.wakePlayer();
      await generator;
      await sink.close();
      await Promise.allSettled([...this.sources.values()].map(async (s) => (await s.catch(() => undefined))?.dispose()));
    }
    if (this.failure) throw this.failure;
    return summarise(this.timings, this.countersNow(), this.time);
  }

  private failure: Error | undefined;

  stop(): void {
    this.running = false;
    this.wakeGenerator();
    this.wakePlayer();
  }

  private wakePlayer(): void {
    const w = this.segmentWaiter;
    this.segmentWaiter = undefined;
    w?.();
  }

  state(): EngineState {
    const s = this.settings;
    const playing = this.player.nowPlaying;
    return {
      nowPlaying: playing ? { segmentId: playing.id, startedAt: this.nowPlayingSince, recipe: playing.recipe } : null,
      queueLength: this.ring.length,
      prompts: s.prompts, guidance: s.guidance, tempoBpm: s.tempoBpm, seed: s.seed, mix: s.mix,
      source: s.source, preset: s.preset, imprint: s.imprint,
      counters: this.countersNow(),
    };
  }

  private countersNow(): EngineCounters {
    return { ...this.counters, workerRestarts: this.restarts(), underruns: this.options.sink.stats.underflows };
  }

  private readonly opened: SegmentSource[] = [];

  private restarts(): number {
    return this.opened.reduce((n, s) => n + (s.restarts ?? 0), 0);
  }

  private applyScript(): void {
    while (this.script.length > 0 && this.script[0]!.at <= this.time) this.command(this.script.shift()!.command);
  }

  /** Offline mode: block while a boundary falls in the next chunk and nothing is queued. */
  private async untilNextSegmentReady(frames: number): Promise<void> {
    while (this.running && !this.sourceEnded && this.ring.length === 0 && this.player.remainingFrames < frames) {
      await new Promise<void>((resolve) => { this.segmentWaiter = resolve; });
    }
  }

  private takeNext(): Segment | undefined {
    const next = this.ring.shift();
    if (next) this.wakeGenerator();
    return next;
  }

  private onBoundary(segment: Segment, repeated: boolean, frameOffset: number): void {
    const at = (this.framesWritten + frameOffset) / this.options.sink.sampleRate;
    if (repeated) {
      // generation is late: keep the music going with the current loop, and say so
      this.counters.lateSegments++;
      this.emit({ type: 'warning', at, message: `segment ${segment.id} repeats: the next one is not ready` });
      this.options.onSegment?.(segment, at, true);
      return;
    }
    this.counters.segmentsPlayed++;
    this.nowPlayingSince = at;
    for (const t of this.timings) if (t.audibleAt === null && t.version <= segment.version) t.audibleAt = at;
    this.emit({ type: 'segment-started', at, segmentId: segment.id, recipe: segment.recipe, late: false });
    this.options.onSegment?.(segment, at, false);
  }

  /** The generator loop: keeps the ring filled for the current settings. */
  private async generate(): Promise<void> {
    while (this.running) {
      if (this.ring.full) {
        await new Promise<void>((resolve) => { this.spaceWaiter = resolve; });
        continue;
      }
      if (!(await this.renderOne())) return;
    }
  }

  /** Renders one segment into the ring; false when the generator should stop. */
  private async renderOne(): Promise<boolean> {
    const settings = this.settings;
    try {
      const source = await this.source(settings.source);
      const draft = await source.render(settings);
      if (!this.running) return false;
      if (!draft) {
        this.sourceEnded = true;
        this.wakePlayer();
        return false;
      }
      this.consecutiveFailures = 0;
      if (settings.version < this.settings.version) {
        this.counters.droppedSegments++; // superseded while it was rendering
        return true;
      }
      this.ring.push({ ...draft, id: this.nextSegmentId++, version: settings.version });
      this.counters.segmentsGenerated++;
      this.wakePlayer();
      this.emitState();
      return true;
    } catch (e) {
      // show time: report, keep playing what we have, try again shortly
      this.counters.droppedSegments++;
      this.consecutiveFailures++;
      const message = e instanceof Error ? e.message : String(e);
      this.emit({ type: 'warning', at: this.time, message: `segment dropped: ${message}` });
      // Offline nothing is played while we retry: a source that keeps failing must end the run.
      if (this.options.waitForSegments && this.consecutiveFailures >= MAX_OFFLINE_FAILURES) {
        this.failure = new UserError(`the ${settings.source} source failed ${this.consecutiveFailures} times in a row (last: ${message})`);
        this.running = false;
        this.wakePlayer();
        return false;
      }
      await new Promise((r) => setTimeout(r, 200));
      return true;
    }
  }

  private source(name: SourceName): Promise<SegmentSource> {
    let s = this.sources.get(name);
    if (!s) {
      s = this.options.openSource(name);
      this.sources.set(name, s);
      s.then((opened) => this.opened.push(opened), () => undefined);
      s.catch(() => this.sources.delete(name));
    }
    return s;
  }

  private wakeGenerator(): void {
    const w = this.spaceWaiter;
    this.spaceWaiter = undefined;
    w?.();
  }

  private emit(event: EngineEvent): void {
    this.options.onEvent?.(event);
  }

  private emitState(): void {
    if (this.options.onEvent) this.emit({ type: 'state', at: this.time, state: this.state() });
  }
}
