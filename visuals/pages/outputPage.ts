import type { EngineState } from '../../control/protocol/state.js';
import { type VisualState, defaultVisuals } from '../../control/protocol/visualState.js';
import type { ServerMessage } from '../../control/protocol/webProtocol.js';
import { type Effect } from '../effects/registry.js';
import { type FrameResult, Renderer } from '../render/renderer.js';
import type { PictureSource } from '../render/texturePool.js';
import { BeatGrid } from '../sync/beatGrid.js';
import { PlayheadPredictor } from '../sync/playheadPredictor.js';
import { Timeline } from '../sync/timeline.js';

export interface OutputPageOptions {
  readonly canvas: HTMLCanvasElement;
  /** the small, low-cost version the control page embeds: half resolution, 30 frames a second */
  readonly preview?: boolean;
  readonly pixelRatio?: number;
  /** record every frame's display time and predicted frame in `trace` (benches) */
  readonly trace?: boolean;
  /** fetches a segment's picture (the page adds its token) */
  readonly loadPicture?: (url: string) => Promise<PictureSource>;
}

/** What the page reports about itself (`window.synestheteStats`), for tests, benches and a glance. */
export interface OutputStats {
  /** frames drawn */
  frames: number;
  /** display refreshes that passed without a frame drawn */
  skipped: number;
  /** time spent drawing, ms: mean and worst over the last 600 frames */
  drawMeanMs: number;
  drawMaxMs: number;
  /** the display's refresh interval as measured, ms */
  refreshMs: number;
  connected: boolean;
  /** times the socket opened: more than 1 means it reconnected */
  connections: number;
  /** the frame predicted heard at the last frame's vsync, the segment and column shown under the playhead */
  heardFrame: number;
  segmentId: number | null;
  column: number | null;
  pictures: number;
  /** show-time problems, the latest last (at most 10) */
  errors: string[];
}

const DRAW_WINDOW = 600;

/**
 * The projector output: the show's messages in, one frame per display refresh out. Keeps the
 * timeline, the playhead prediction and the beat grid up to date from the socket's messages and
 * draws with the renderer at the frame that will be heard when the frame reaches the screen.
 */
export class OutputPage {
  readonly renderer: Renderer;
  readonly timeline = new Timeline();
  readonly predictor = new PlayheadPredictor();
  readonly stats: OutputStats = {
    frames: 0, skipped: 0, drawMeanMs: 0, drawMaxMs: 0, refreshMs: 1000 / 60, connected: false, connections: 0,
    heardFrame: 0, segmentId: null, column: null, pictures: 0, errors: [],
  };
  /** with `trace`: per frame drawn, the time it reaches the screen (wall clock, ms) and the frame predicted heard then */
  readonly trace: number[] = [];
  private readonly tracing: boolean;
  private visuals: VisualState = defaultVisuals();
  private grid: BeatGrid | null = null;
  private lastState: EngineState | undefined;
  private sampleRate = 44100;
  private showId: string | undefined;
  private raf = 0;
  private lastTs: number | undefined;
  private readonly drawTimes = new Float64Array(DRAW_WINDOW);
  private drawCount = 0;
  private readonly recentDeltas = new Float64Array(30);
  private deltaCount = 0;
  private odd = false;
  private readonly preview: boolean;
  private readonly loadPicture: (url: string) => Promise<PictureSource>;

  constructor(options: OutputPageOptions) {
    this.preview = options.preview ?? false;
    this.tracing = options.trace ?? false;
    this.renderer = new Renderer({
      canvas: options.canvas,
      pixelRatio: options.pixelRatio ?? (this.preview ? 0.5 : globalThis.devicePixelRatio ?? 1),
      onError: (m) => this.error(m),
    });
    this.loadPicture = options.loadPicture ?? loadImage;
  }

  /** One message from the show (the socket, or a test). */
  message(message: ServerMessage): void {
    switch (message.type) {
      case 'state': this.applyState(message.state); return;
      case 'hello':
        // reconnected to a restarted show: its segment ids start at 1 again, nothing carries over
        if (this.showId !== undefined && message.show !== this.showId) {
          this.timeline.clear();
          this.renderer.clearPictures();
          this.stats.pictures = 0;
        }
        this.showId = message.show;
        this.setSampleRate(message.sampleRate);
        return;
      case 'clock':
        this.setSampleRate(message.sampleRate);
        this.predictor.clock(message.frame, message.sampleRate, performance.now(), message.sentAt);
        return;
      case 'event': {
        const e = message.event;
        if (e.type === 'state') this.applyState(e.state);
        else if (e.type === 'segment-ready') {
          this.timeline.ready(e.segmentId, e.frames, e.startFrame);
          this.loadPicture(e.pictureUrl).then((p) => this.picture(e.segmentId, p), (err: unknown) => this.error(`segment ${e.segmentId}: its picture could not be loaded (${String((err as Error)?.message ?? err)})`));
        } else if (e.type === 'segment-started') this.timeline.started(e.segmentId, e.frame, e.frozen);
        else if (e.type === 'listen') this.renderer.listen(e);
        return;
      }
      default: return;
    }
  }

  picture(segmentId: number, source: PictureSource): void {
    this.renderer.picture(segmentId, source);
    this.stats.pictures = this.renderer.pictures;
  }

  setEffects(effects: readonly Effect[]): string | null {
    return this.renderer.setEffects(effects);
  }

  /** Draws the frame heard at `frame` now (tests, and the frame loop). */
  drawAt(frame: number): FrameResult {
    const result = this.renderer.draw({ frame, sampleRate: this.sampleRate, timeline: this.timeline, grid: this.grid, visuals: this.visuals });
    this.stats.heardFrame = frame;
    this.stats.segmentId = result.segmentId;
    this.stats.column = result.column;
    return result;
  }

  /** One frame per display refresh until `stop()`. */
  start(): void {
    const loop = (ts: number) => {
      this.raf = requestAnimationFrame(loop);
      this.frame(ts);
    };
    this.raf = requestAnimationFrame(loop);
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
    this.lastTs = undefined;
  }

  setConnection(connected: boolean, connections: number): void {
    this.stats.connected = connected;
    this.stats.connections = connections;
  }

  private frame(ts: number): void {
    const stats = this.stats;
    if (this.lastTs !== undefined) {
      const delta = ts - this.lastTs;
      this.recentDeltas[this.deltaCount++ % this.recentDeltas.length] = delta;
      let refresh = Infinity;
      for (let i = 0; i < Math.min(this.deltaCount, this.recentDeltas.length); i++) refresh = Math.min(refresh, this.recentDeltas[i]!);
      stats.refreshMs = refresh;
      // a refresh with no callback at all is a skipped frame (the preview's every other one is not)
      stats.skipped += Math.max(0, Math.round(delta / refresh) - 1);
    }
    this.lastTs = ts;
    if (this.preview && (this.odd = !this.odd)) return;
    if (!this.predictor.ready) return;
    const started = performance.now();
    // the frame drawn now reaches the screen at the next vsync
    const shownAt = ts + stats.refreshMs;
    const heard = this.predictor.predict(shownAt);
    this.drawAt(heard);
    // on the wall clock (Date.now()), which another process on the machine reads alike;
    // performance.timeOrigin can be off by seconds between processes on a VM
    if (this.tracing) this.trace.push(Date.now() - performance.now() + shownAt, heard);
    const took = performance.now() - started;
    this.drawTimes[this.drawCount++ % DRAW_WINDOW] = took;
    const n = Math.min(this.drawCount, DRAW_WINDOW);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      sum += this.drawTimes[i]!;
      max = Math.max(max, this.drawTimes[i]!);
    }
    stats.drawMeanMs = sum / n;
    stats.drawMaxMs = max;
    stats.frames++;
  }

  /** The show's sample rate (the first state comes before the hello that says it): the beat grid follows. */
  private setSampleRate(sampleRate: number): void {
    if (sampleRate === this.sampleRate) return;
    this.sampleRate = sampleRate;
    if (this.lastState) this.applyState(this.lastState);
  }

  private applyState(state: EngineState): void {
    this.lastState = state;
    this.visuals = state.visuals ?? this.visuals;
    this.timeline.setFrozen(state.instant.freeze);
    // every state places the beats afresh: a nudge or a resync moves them without a tempo change
    const t = state.transport;
    this.grid = new BeatGrid({ frame: state.frame, bpm: t.bpm, beatsPerBar: t.beatsPerBar, bar: t.bar, beat: t.beat, phase: t.phase }, this.sampleRate);
  }

  private error(message: string): void {
    this.stats.errors.push(message);
    if (this.stats.errors.length > 10) this.stats.errors.shift();
    console.warn(`synesthete output: ${message}`);
  }

  dispose(): void {
    this.stop();
    this.renderer.dispose();
  }
}

async function loadImage(url: string): Promise<PictureSource> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}
