import { type Command, type SourceName, parseCommand } from '../../control/protocol/commands.js';
import type { EngineCounters, EngineEvent, EngineState, ListenHealth, ProjectorHealth, Stamp, Surface } from '../../control/protocol/state.js';
import { type VisualState, applyVisual, defaultVisuals } from '../../control/protocol/visualState.js';
import { type CommandTiming, type RunSummary, summarise } from '../../control/protocol/summary.js';
import { TapTempo } from '../clock/tapTempo.js';
import { tempoChangeKind } from '../clock/tempoChangeKind.js';
import type { ExternalClock } from '../clock/externalClock.js';
import { Transport } from '../clock/transport.js';
import { ClockFollower, type ClockFollowerOptions } from './clockFollower.js';
import { UserError } from '../errors.js';
import { type ControlSettings, applyCommand, initialSettings, isGenerative, withFit } from './controlState.js';
import { EventBus } from './eventBus.js';
import { fromSurface } from './namingSurfaces.js';
import type { ScriptedEvent } from './eventScript.js';
import type { PlaybackNote, PlaybackOp, StartAt } from './playback/playback.js';
import type { PlaybackHost } from './playback/playbackHost.js';
import type { Segment } from './segment.js';
import type { SegmentSource } from './segmentSource.js';

export interface LiveEngineOptions {
  readonly host: PlaybackHost;
  /** creates a source by name when the engine first needs it */
  readonly openSource: (name: SourceName) => Promise<SegmentSource>;
  /** why a source cannot be switched to (null: it can), checked when the command arrives */
  readonly sourceUnavailable?: (name: SourceName) => string | null;
  readonly source: SourceName;
  /** master tempo: segments are fitted to whole bars (default: free, natural lengths; the transport runs at 120) */
  readonly tempoBpm?: number;
  /** segments kept rendered ahead of playback (default 2) */
  readonly ahead?: number;
  /** the folder whose PNG/JPEG files the web page and OSC imprint by name (none: they cannot) */
  readonly picturesDir?: string;
  /** the projector's look at the start (default timeline; listen mode starts on listen) */
  readonly look?: VisualState['look'];
  /** every accepted command (recording) */
  readonly onCommand?: (command: Command, at: number) => void;
  /** every segment start, including repeats (recording) */
  readonly onSegment?: (segment: Segment, frame: number, repeat: boolean) => void;
  /** every operation the playback applied, at its frame (recording, for a sample-exact rehearsal) */
  readonly onPlaybackOp?: (op: PlaybackOp, frame: number) => void;
}

/** consecutive render failures after which an offline run, or a show that never started, gives up */
const MAX_OFFLINE_FAILURES = 5;
/** how far ahead of the audio thread's fill position a quantised start is aimed, seconds */
const SCHEDULE_MARGIN_SECONDS = 0.03;
/** commands listed in a run's summary at most (a long show steered at 100 messages a second) */
const MAX_TIMINGS = 100_000;

interface Timing { at: number; type: Command['type']; surface: Surface; version: number; audibleAt: number | null; tag: number }
interface Pending { readonly segment: Segment; startFrame: number | null }

/**
 * The show's engine: a generator loop keeps `ahead` segments rendered for the current settings
 * (in workers; a newer command cancels a render it supersedes), and hands each to the playback
 * with a start time: at the end of the one before, or, after a change, at the next quantum
 * boundary of the transport (beat, bar, ...). Instant controls go straight to the playback
 * (applied on its next chunk); transport commands move the clock. Everything the show does is
 * published on one event bus, stamped with the output frame at which it is heard.
 */
export class LiveEngine {
  readonly transport: Transport;
  readonly events: EventBus<EngineEvent>;
  private settings: ControlSettings;
  private readonly host: PlaybackHost;
  private readonly tap = new TapTempo();
  private readonly sources = new Map<SourceName, Promise<SegmentSource>>();
  private readonly opened = new Set<SegmentSource>();
  private readonly segments = new Map<number, Segment>();
  private readonly audioIds = new WeakMap<Float32Array, number>();
  private readonly counters = { lateRepeats: 0, segmentsGenerated: 0, segmentsPlayed: 0, supersededRenders: 0, failedRenders: 0 };
  private readonly timings: Timing[] = [];
  /** the timings not heard yet: the only ones each playback note has to look at */
  private unheard: Timing[] = [];
  /** timings dropped from the front of a very long show's list (see MAX_TIMINGS) */
  private omittedTimings = 0;
  private rejected = 0;
  private script: ScriptedEvent[] = [];
  private pending: Pending[] = [];
  private nowPlaying: { segment: Segment; startFrame: number } | undefined;
  private scheduledVersion = -1;
  private nextSegmentId = 1;
  private nextTag = 1;
  private running = false;
  private sourceEnded = false;
  private consecutiveFailures = 0;
  private lastRenderSeconds: number | null = null;
  private rendering: { version: number; abort: AbortController } | undefined;
  private wake: (() => void) | undefined;
  private readyWaiter: (() => void) | undefined;
  private instant = { gain: 1, filter: 0, freeze: false };
  /** the projector's settings: kept and published (and recorded), never heard */
  private visuals: VisualState;
  private projector: ProjectorHealth | null = null;
  private listen: ListenHealth | null = null;
  private failure: Error | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly options: LiveEngineOptions) {
    this.visuals = { ...defaultVisuals(), ...(options.look ? { look: options.look } : {}) };
    this.host = options.host;
    this.settings = initialSettings(options.source, options.tempoBpm ?? null);
    this.transport = new Transport({ sampleRate: this.host.sampleRate, bpm: options.tempoBpm ?? 120 });
    this.events = new EventBus<EngineEvent>((message) => this.emitWarning(message));
    this.host.onNotes((notes) => this.onNotes(notes));
    if (options.tempoBpm !== undefined) this.host.at(0, { kind: 'tempo', bpm: options.tempoBpm });
  }

  /** seconds heard so far (the output clock) */
  get time(): number {
    return this.host.heardFrame() / this.host.sampleRate;
  }

  /** Commands to apply when the output clock reaches their `at` (an --events script). */
  schedule(events: readonly ScriptedEvent[]): void {
    this.script = [...this.script, ...events].sort((a, b) => a.at - b.at);
  }

  /**
   * Applies a command now (JSON text or object). A malformed one, or one that cannot take effect
   * here (a prompt for the imprint source), is rejected with a one-line reason and changes nothing.
   */
  command(input: unknown, surface: Surface = 'api'): { ok: true } | { ok: false; reason: string } {
    const parsed = parseCommand(input);
    if (!parsed.ok) return this.reject(parsed.reason, surface, input);
    const named = fromSurface(parsed.command, surface, this.options.picturesDir);
    if (!named.ok) return this.reject(named.reason, surface, input);
    const command = named.command;
    const reason = this.refusal(command);
    if (reason) return this.reject(`${command.type}: ${reason}`, surface, input);
    const at = this.time;
    const timing: Timing = { at, type: command.type, surface, version: this.settings.version, audibleAt: null, tag: 0 };
    if (isGenerative(command)) this.generative(command, timing);
    else this.control(command, timing);
    this.keepTiming(timing);
    this.publish({ type: 'command-accepted', command, surface });
    this.options.onCommand?.(command, at);
    this.emitState();
    return { ok: true };
  }

  /** Plays until `seconds` have been heard (or `stop()`), then returns the summary. */
  async run(seconds: number): Promise<RunSummary> {
    const host = this.host;
    this.running = true;
    const endFrame = Math.round(seconds * host.sampleRate);
    // Pre-roll: the first segment is rendered before the output starts, so the show opens with
    // sound; commands scripted for time 0 apply first.
    this.applyScript(0);
    while (this.running && this.pending.length === 0 && !this.sourceEnded && !this.failure) {
      await this.renderOne();
      await this.afterFailure();
    }
    const generator = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.generate());
    const scriptTimer = host.offline ? undefined : setInterval(() => this.applyScript(this.time), 5);
    try {
      if (this.running) {
        await host.run(endFrame + Math.round(host.outputLatency * host.sampleRate),
          host.offline ? () => this.beforeOfflineChunk() : undefined);
      }
    } finally {
      clearInterval(scriptTimer);
      this.running = false;
      this.rendering?.abort.abort();
      this.wakeGenerator();
      this.wakePlayer();
      await generator;
      await host.close();
      await Promise.allSettled([...this.opened].map((s) => s.dispose()));
    }
    if (this.failure) throw this.failure;
    const summary = summarise(this.timings, this.countersNow(), this.time, this.rejected);
    return this.omittedTimings > 0 ? { ...summary, omittedEvents: this.omittedTimings } : summary;
  }

  /**
   * A show steered at 100 messages a second for hours must not grow without bound: past
   * MAX_TIMINGS the oldest tenth is dropped from the summary's list (and counted).
   */
  private keepTiming(timing: Timing): void {
    this.timings.push(timing);
    if (timing.audibleAt === null) this.unheard.push(timing);
    if (this.timings.length > MAX_TIMINGS) {
      const drop = Math.ceil(MAX_TIMINGS / 10);
      this.timings.splice(0, drop);
      this.omittedTimings += drop;
    }
  }

  /** Marks the unheard commands `heardAt` says were heard (one pass for a whole batch of notes). */
  private hear(heardAt: (t: Timing) => number | null): void {
    let kept = 0;
    for (const t of this.unheard) {
      const frame = heardAt(t);
      if (frame !== null) t.audibleAt = frame / this.host.sampleRate;
      else this.unheard[kept++] = t;
    }
    this.unheard.length = kept;
  }

  stop(): void {
    this.running = false;
    this.host.stop();
    this.wakeGenerator();
    this.wakePlayer();
  }

  /** The projector pages' frame pacing, from the web port (published in the state's health). */
  reportProjector(health: ProjectorHealth | null): void {
    this.projector = health;
    this.emitState();
  }

  /** Listen mode's input health (published in the state's health); a state goes out only when it changed. */
  reportListen(health: ListenHealth | null): void {
    const l = this.listen;
    if (l === health || (l && health && l.device === health.device && l.peakDb === health.peakDb && l.clipping === health.clipping
      && l.quietSeconds === health.quietSeconds && l.overflows === health.overflows && l.errors === health.errors)) return;
    this.listen = health;
    this.emitState();
  }

  /** The output frame being heard now (never goes back) and the sample rate. */
  clock(): { frame: number; sampleRate: number } {
    return { frame: this.host.heardFrame(), sampleRate: this.host.sampleRate };
  }

  state(): EngineState {
    const s = this.settings;
    const frame = this.host.heardFrame();
    const pos = this.transport.position(frame);
    const playing = this.nowPlaying;
    const ahead = this.pending.reduce((sum, p) => sum + p.segment.audio[0].length, 0) / this.host.sampleRate;
    const c = this.countersNow();
    return {
      frame,
      nowPlaying: playing ? { segmentId: playing.segment.id, startedAt: playing.startFrame / this.host.sampleRate, startFrame: playing.startFrame, recipe: playing.segment.recipe } : null,
      queueLength: this.pending.length,
      prompts: s.prompts, guidance: s.guidance, tempoBpm: s.tempoBpm, seed: s.seed, mix: s.mix ?? 0.5,
      source: s.source, preset: s.preset, imprint: s.imprint,
      transport: {
        bpm: this.transport.bpm, beatsPerBar: this.transport.beatsPerBar, bar: pos.bar, beat: pos.beat, phase: pos.phase,
        clockSource: this.transport.clockSourceName ? `${this.transport.clockSource}:${this.transport.clockSourceName}` : this.transport.clockSource,
        quantize: s.quantize,
      },
      instant: { ...this.instant },
      health: {
        aheadSeconds: Math.round(ahead * 1000) / 1000, lastRenderSeconds: this.lastRenderSeconds, lateRepeats: c.lateRepeats,
        failedRenders: c.failedRenders, supersededRenders: c.supersededRenders, underruns: c.underruns,
        projector: this.projector,
        listen: this.listen,
      },
      counters: c,
      visuals: this.visuals,
    };
  }

  private countersNow(): EngineCounters {
    const restarts = [...this.opened].reduce((n, s) => n + (s.restarts ?? 0), 0);
    const sink = this.host.stats();
    return { ...this.counters, workerRestarts: restarts, underruns: sink.underflows, deviceUnderruns: sink.deviceUnderflows ?? 0 };
  }

  private reject(reason: string, surface: Surface, input: unknown): { ok: false; reason: string } {
    this.rejected++;
    this.publish({ type: 'command-rejected', reason, input, surface });
    return { ok: false, reason };
  }

  /** Why a valid command cannot take effect now, or null. */
  private refusal(c: Command): string | null {
    if (c.type === 'source') {
      if (c.name === this.settings.source) return null;
      return this.options.sourceUnavailable?.(c.name) ?? null;
    }
    if (!isGenerative(c)) return null;
    const opened = this.openedSource(this.settings.source);
    return opened?.refuse?.(c, this.settings) ?? null;
  }

  private openedSource(name: SourceName): SegmentSource | undefined {
    return [...this.opened].find((s) => s.name === name);
  }

  private generative(c: Extract<Command, { type: 'prompt' | 'seed' | 'mix' | 'guidance' | 'preset' | 'source' | 'imprint' }>, timing: Timing): void {
    const next = applyCommand(this.settings, c);
    this.changeSettings(next);
    timing.version = this.settings.version;
    this.markHeard(timing);
  }

  /** New settings: the render in flight for older ones is cancelled, the generator wakes. */
  private changeSettings(next: ControlSettings): void {
    if (next === this.settings) return;
    const previous = this.settings.source;
    this.settings = next;
    if (this.rendering && this.rendering.version < next.version) this.rendering.abort.abort();
    if (next.source !== previous) this.retire(previous);
    this.wakeGenerator();
  }

  /** A source switched away is disposed once nothing renders from it. */
  private retire(name: SourceName): void {
    const opened = this.sources.get(name);
    this.sources.delete(name);
    void opened?.then(async (s) => {
      this.opened.delete(s);
      await s.dispose();
    }, () => undefined);
  }

  /** Instant and transport commands. */
  private control(c: Exclude<Command, { type: 'prompt' | 'seed' | 'mix' | 'guidance' | 'preset' | 'source' | 'imprint' }>, timing: Timing): void {
    const frame = this.host.filledFrame();
    switch (c.type) {
      case 'gain': this.instant.gain = c.value; this.toPlayback({ kind: 'instant', gain: c.value }, timing); return;
      case 'filter': this.instant.filter = c.value; this.toPlayback({ kind: 'instant', filter: c.value }, timing); return;
      case 'freeze': this.freeze(c.on, timing); return;
      // seen at once on the projector (which predicts the heard position itself); nothing to hear
      case 'look': case 'blackout': case 'visual': this.visuals = applyVisual(this.visuals, c); timing.audibleAt = timing.at; return;
      case 'quantize': this.settings = { ...this.settings, quantize: c.value }; timing.audibleAt = timing.at; return;
      case 'resync': this.transport.resync(frame); timing.audibleAt = timing.at; return;
      case 'nudge': {
        this.transport.nudge(c.beats, frame);
        this.toPlayback({ kind: 'bend', frames: c.beats * this.transport.framesPerBeat() }, timing);
        return;
      }
      case 'meter': {
        this.transport.setBeatsPerBar(c.beats, frame);
        this.changeSettings(withFit(this.settings, this.settings.tempoBpm, c.beats));
        timing.version = this.settings.version;
        this.markHeard(timing);
        return;
      }
      case 'tempo': this.transport.setClockSource('internal'); this.setTempo(c.bpm, timing); return;
      case 'tap': {
        // a tap from a surface is the performer's hand: time it by the wall clock (the heard
        // position moves in chunks, and stalls on a starved machine); a scripted tap keeps its time
        const { bpm } = this.tap.tap(this.host.offline || timing.surface === 'events' ? timing.at : performance.now() / 1000);
        if (bpm === null) { timing.audibleAt = timing.at; return; }
        this.transport.setClockSource('tap');
        this.setTempo(bpm, timing);
        return;
      }
    }
  }

  /**
   * Follows an external clock (MIDI clock, Ableton) through smoothing: its tempo retimes or
   * re-fits like a `tempo` command, its beat reports nudge the phase gradually. Returns the
   * function that stops following (the transport then keeps the last tempo, clock source internal).
   */
  follow(clock: ExternalClock, options: ClockFollowerOptions = {}): () => void {
    const follower = new ClockFollower(clock, {
      transport: this.transport,
      heardFrame: () => this.host.heardFrame(),
      setTempo: (bpm, source) => {
        this.transport.setClockSource(source.kind, source.name);
        this.setTempo(bpm);
        this.emitState();
      },
      nudge: (beats) => {
        this.transport.nudge(beats, this.host.filledFrame());
        this.toPlayback({ kind: 'bend', frames: beats * this.transport.framesPerBeat() }, undefined);
      },
    }, options);
    return () => {
      follower.dispose();
      this.transport.setClockSource('internal');
    };
  }

  /**
   * A new master tempo. Within 2 % of the tempo the segments were fitted to, playback is retimed
   * at once (fractional rate); further, the coming segments are re-fitted to whole bars.
   */
  private setTempo(bpm: number, timing?: Timing): void {
    this.transport.setTempo(bpm, this.host.filledFrame());
    const kind = tempoChangeKind(this.settings.tempoBpm, bpm);
    if (kind === 'refit' || this.settings.tempoBpm === null) this.changeSettings(withFit(this.settings, bpm, this.transport.beatsPerBar));
    if (timing) timing.version = this.settings.version;
    this.toPlayback({ kind: 'tempo', bpm }, kind === 'retime' ? timing : undefined);
    if (timing && kind !== 'retime') this.markHeard(timing);
  }

  private freeze(on: boolean, timing: Timing): void {
    this.instant.freeze = on;
    this.toPlayback({ kind: 'freeze', on }, timing);
    if (!on) {
      // the latest segment follows at the next quantum
      const latest = this.pending.at(-1);
      if (latest) this.place(latest.segment, true);
    }
  }

  private toPlayback(op: PlaybackOp, timing: Timing | undefined): void {
    const tag = this.nextTag++;
    if (timing) timing.tag = tag;
    this.host.at('asap', op, tag);
  }

  /** A command whose version is already playing is heard at once (it changed nothing audible). */
  private markHeard(t: Timing): void {
    if (this.nowPlaying && this.nowPlaying.segment.version >= t.version) t.audibleAt = t.at;
  }

  private onNotes(notes: readonly PlaybackNote[]): void {
    // a fader dragged at 100 messages a second applies many ops per batch: look them up, not scan
    const applied = new Map<number, number>();
    for (const note of notes) if (note.type === 'applied' && !applied.has(note.tag)) applied.set(note.tag, note.frame);
    if (applied.size > 0) this.hear((t) => applied.get(t.tag) ?? null);
    for (const note of notes) {
      if (note.type === 'applied') {
        this.options.onPlaybackOp?.(note.op, note.frame);
        continue;
      }
      const segment = this.segments.get(note.segmentId);
      if (!segment) continue;
      if (note.repeat) {
        if (note.late) {
          this.counters.lateRepeats++;
          this.emitWarning(`segment ${segment.id} repeats: the next one is not ready`, note.frame);
        }
      } else {
        this.counters.segmentsPlayed++;
        this.nowPlaying = { segment, startFrame: note.frame };
        this.pending = this.pending.filter((p) => p.segment.id !== segment.id);
        for (const [id] of this.segments) if (id < segment.id && id !== segment.id) this.segments.delete(id);
        this.hear((t) => (t.tag === 0 && t.version <= segment.version ? note.frame : null));
        this.wakeGenerator();
      }
      this.publish({ type: 'segment-started', segmentId: segment.id, recipe: segment.recipe, repeat: note.repeat, frozen: note.frozen }, note.frame);
      this.options.onSegment?.(segment, note.frame, note.repeat);
    }
    this.wakePlayer();
  }

  private applyScript(seconds: number): void {
    while (this.script.length > 0 && this.script[0]!.at <= seconds + 1e-9) this.command(this.script.shift()!.command, 'events');
  }

  /**
   * Offline (a file as fast as possible): renders take no audio time, so the result does not
   * depend on the machine. Before each chunk, wait while a change is still rendering, or while the
   * next boundary falls in this chunk with nothing queued.
   */
  private async beforeOfflineChunk(): Promise<void> {
    const filled = this.host.filledFrame();
    this.applyScript(filled / this.host.sampleRate);
    for (;;) {
      if (!this.running || this.sourceEnded || this.failure) return;
      const changing = this.scheduledVersion < this.settings.version && !this.instant.freeze;
      const starving = this.pending.length === 0 && !this.instant.freeze && this.remainingOfNowPlaying() <= 4096;
      if (!changing && !starving) return;
      await new Promise<void>((resolve) => { this.readyWaiter = resolve; });
    }
  }

  private remainingOfNowPlaying(): number {
    const p = this.nowPlaying;
    if (!p) return 0;
    return p.startFrame + p.segment.audio[0].length - this.host.filledFrame();
  }

  /** The generator loop: keeps `ahead` segments rendered for the current settings. */
  private async generate(): Promise<void> {
    const ahead = this.options.ahead ?? 2;
    while (this.running && !this.sourceEnded && !this.failure) {
      const upToDate = this.scheduledVersion >= this.settings.version;
      if (upToDate && this.pending.length >= ahead) {
        await new Promise<void>((resolve) => { this.wake = resolve; });
        continue;
      }
      await this.renderOne();
      await this.afterFailure();
    }
  }

  /**
   * After a failed render, wait before the next try (0.2 s, doubling to 2 s), so a source that
   * keeps failing neither spins nor floods the log. Offline nothing plays meanwhile: no wait.
   */
  private async afterFailure(): Promise<void> {
    if (this.consecutiveFailures === 0 || this.host.offline || !this.running) return;
    const ms = Math.min(2000, 200 * 2 ** (this.consecutiveFailures - 1));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  /** Renders one segment and hands it to the playback. */
  private async renderOne(): Promise<void> {
    const settings = this.settings;
    const abort = new AbortController();
    this.rendering = { version: settings.version, abort };
    const started = performance.now();
    try {
      const source = await this.source(settings.source);
      const draft = await source.render(settings, abort.signal);
      if (!this.running && this.nowPlaying) return;
      if (!draft) {
        this.sourceEnded = true;
        this.host.end();
        this.wakePlayer();
        return;
      }
      this.consecutiveFailures = 0;
      this.lastRenderSeconds = Math.round(performance.now() - started) / 1000;
      if (abort.signal.aborted || settings.version < this.settings.version) {
        this.counters.supersededRenders++;
        return;
      }
      draft.commit?.();
      const segment: Segment = {
        id: this.nextSegmentId++, audioId: this.audioIdOf(draft.audio[0]), picture: draft.picture, audio: draft.audio,
        recipe: draft.recipe, version: settings.version, fittedBpm: draft.fittedBpm !== undefined ? draft.fittedBpm : settings.tempoBpm,
        bars: draft.bars ?? null,
      };
      this.counters.segmentsGenerated++;
      if (draft.startFrame !== undefined) this.place(segment, false, { kind: 'frame', frame: draft.startFrame });
      else this.place(segment, segment.version > this.scheduledVersion);
    } catch (e) {
      if (abort.signal.aborted) {
        this.counters.supersededRenders++;
        return;
      }
      this.renderFailed(settings, e);
    } finally {
      if (this.rendering?.abort === abort) this.rendering = undefined;
    }
  }

  private renderFailed(settings: ControlSettings, e: unknown): void {
    // show time: report once per reason, keep playing what we have, try again shortly
    this.counters.failedRenders++;
    this.consecutiveFailures++;
    const message = e instanceof Error ? e.message : String(e);
    if (settings.source !== this.settings.source) return;
    if (this.sources.get(settings.source) === undefined && this.nowPlaying && settings.source !== this.nowPlaying.segment.recipe.source) {
      // the source could not be opened: go back to the one that plays, and say so once
      this.emitWarning(`source ${settings.source} failed (${message}); staying with ${this.nowPlaying.segment.recipe.source}`);
      this.changeSettings({ ...this.settings, source: this.nowPlaying.segment.recipe.source, version: this.settings.version + 1 });
      return;
    }
    this.warnOnce(`a segment could not be rendered: ${message}`);
    // offline nothing plays while we retry, and before the first segment nothing can: give up
    if ((this.host.offline || !this.nowPlaying) && this.consecutiveFailures >= MAX_OFFLINE_FAILURES) {
      this.failure = new UserError(`the ${settings.source} source failed ${this.consecutiveFailures} times in a row (last: ${message})`);
      this.stop();
    }
  }

  /** Hands a rendered segment to the playback: after the queue, or at the next quantum (a change). */
  private place(segment: Segment, change: boolean, fixed?: StartAt): void {
    this.segments.set(segment.id, segment);
    let at: StartAt = fixed ?? { kind: 'boundary' };
    if (change && this.nowPlaying) {
      const q = this.settings.quantize;
      const margin = this.host.offline ? 0 : Math.round(SCHEDULE_MARGIN_SECONDS * this.host.sampleRate);
      const from = this.host.filledFrame() + margin;
      if (q === 'now') at = { kind: 'frame', frame: from };
      else if (q !== 'segment') at = { kind: 'frame', frame: this.transport.nextBoundary(from, q) };
    }
    if (change) {
      this.counters.supersededRenders += this.pending.filter((p) => p.segment.id !== segment.id).length;
      this.pending = this.pending.filter((p) => p.segment.id === segment.id);
    }
    if (!this.pending.some((p) => p.segment.id === segment.id)) this.pending.push({ segment, startFrame: null });
    this.scheduledVersion = Math.max(this.scheduledVersion, segment.version);
    const entry = this.pending.find((p) => p.segment.id === segment.id)!;
    entry.startFrame = this.instant.freeze ? null : at.kind === 'frame' ? at.frame : this.predictedEnd(entry);
    this.host.enqueue({ id: segment.id, audioId: segment.audioId, audio: segment.audio, fittedBpm: segment.fittedBpm }, at, change);
    this.publish({
      type: 'segment-ready', segmentId: segment.id, picture: segment.picture, recipe: segment.recipe, bars: segment.bars,
      frames: segment.audio[0].length, startFrame: entry.startFrame,
    });
    this.emitState();
    this.wakePlayer();
  }

  /** Where a boundary-queued segment will start if nothing changes: after everything before it. */
  private predictedEnd(entry: Pending): number | null {
    let end = this.nowPlaying ? this.nowPlaying.startFrame + this.nowPlaying.segment.audio[0].length : null;
    for (const p of this.pending) {
      if (p === entry) return end;
      end = p.startFrame === null || end === null ? null : Math.max(end, p.startFrame) + p.segment.audio[0].length;
    }
    return end;
  }

  private audioIdOf(audio: Float32Array): number {
    let id = this.audioIds.get(audio);
    if (id === undefined) {
      id = this.nextSegmentId - 1;
      this.audioIds.set(audio, id);
    }
    return id;
  }

  private source(name: SourceName): Promise<SegmentSource> {
    let s = this.sources.get(name);
    if (!s) {
      s = this.options.openSource(name);
      this.sources.set(name, s);
      s.then((opened) => {
        this.opened.add(opened);
        for (const { frame, op } of opened.ops ?? []) this.host.at(frame, op);
      }, () => this.sources.delete(name));
    }
    return s;
  }

  private wakeGenerator(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private wakePlayer(): void {
    const w = this.readyWaiter;
    this.readyWaiter = undefined;
    w?.();
  }

  private stamp(frame = this.host.heardFrame()): Stamp {
    const { bar, beat } = this.transport.position(frame);
    return { at: frame / this.host.sampleRate, frame, position: { bar, beat } };
  }

  private publish(event: DistributiveOmit<EngineEvent, keyof Stamp>, frame?: number): void {
    if (this.events.size === 0) return;
    this.events.publish({ ...this.stamp(frame), ...event } as EngineEvent);
  }

  private emitWarning(message: string, frame?: number): void {
    this.publish({ type: 'warning', message }, frame);
  }

  private emitState(): void {
    if (this.events.size > 0) this.publish({ type: 'state', state: this.state() });
  }

  /** Warn once per distinct message (a source that keeps failing must not flood the log). */
  warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.emitWarning(message);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
