import { resolve } from 'node:path';
import type { SourceName } from '../../control/protocol/commands.js';
import type { EngineEvent } from '../../control/protocol/state.js';
import type { ControlSurface, MidiLearnLink, ShowLink, SurfaceStarter } from '../../control/protocol/surface.js';
import type { MidiSurface } from '../../control/midi/midiSurface.js';
import type { RunSummary } from '../../control/protocol/summary.js';
import type { AudioInput } from '../audio/audioInput.js';
import { PortAudioInput } from '../audio/portAudioInput.js';
import { WavFileSink } from '../audio/wavFileSink.js';
import type { Transport } from '../clock/transport.js';
import { UserError } from '../errors.js';
import type { EventBus } from '../live/eventBus.js';
import type { ScriptedEvent } from '../live/eventScript.js';
import { Listener } from '../live/listen/listener.js';
import { LiveEngine } from '../live/liveEngine.js';
import { DEFAULT_PICTURES_DIR } from '../live/namingSurfaces.js';
import { InlineHost } from '../live/playback/inlineHost.js';
import type { PlaybackHost } from '../live/playback/playbackHost.js';
import { ThreadedHost } from '../live/playback/threadedHost.js';
import { SessionRecorder } from '../live/session/sessionRecorder.js';
import { SessionSegmentSource } from '../live/session/sessionSegmentSource.js';
import type { SegmentSource } from '../live/segmentSource.js';
import { DiffusionSegmentSource } from '../live/sources/diffusionSegmentSource.js';
import { ImagesSegmentSource } from '../live/sources/imagesSegmentSource.js';
import { ImprintSegmentSource } from '../live/sources/imprintSegmentSource.js';
import type { LoadedPreset } from '../presets/loadPreset.js';
import { bundledPresetsDir } from '../presets/resolveInit.js';
import { ReconstructionPool } from '../reconstruct/reconstructionPool.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../spectrogram/params.js';
import { findPreset } from './findPreset.js';
// the composition root starts the surfaces' adapters (docs/architecture.md); MIDI's native module
// is loaded only when `midi` is given
import { MidiSetupError } from '../../control/midi/midiBackend.js';
import { type StartMidiOptions, startMidi } from '../../control/midi/startMidi.js';
import { AbletonSetupError, type StartAbletonOptions, startAbleton } from '../../control/ableton/startAbleton.js';

/** Where the show's sound goes. */
export type ShowOutput =
  /** `bufferMs` (realtime only): the simulated sound card's queue (default 186 ms) */
  | { readonly kind: 'wav'; readonly path: string; readonly realtime?: boolean; readonly bufferMs?: number }
  /** `bufferMs`: the output queue after the playback (default 35 ms): more survives a busier machine, less reacts sooner */
  | { readonly kind: 'device'; readonly device?: string; readonly bufferMs?: number }
  /** tests and embedders: any host (e.g. an InlineHost on a fake sink) */
  | { readonly kind: 'host'; readonly host: PlaybackHost };

export interface ShowOptions {
  readonly output: ShowOutput;
  /** the first source (default: diffusion with a preset, session with a session folder, else imprint) */
  readonly source?: SourceName;
  /** a preset file for the diffusion source */
  readonly preset?: string;
  /** folder of model folders for bare model names in presets (default ./models) */
  readonly modelsDir?: string;
  /** the performer's preset folder, searched before the bundled presets/ by `preset` commands */
  readonly presetDir?: string;
  /** folder whose PNG/JPEG files the web page and OSC imprint by name (default ./pictures) */
  readonly pictures?: string;
  /** folder of sound-pictures for the images source (default: the bundled seed loops) */
  readonly images?: string;
  /** a recorded session to rehearse */
  readonly session?: string;
  readonly tempoBpm?: number;
  readonly ahead?: number;
  /** record the show into this new folder */
  readonly record?: string;
  readonly script?: readonly ScriptedEvent[];
  /** control surfaces to start on the show (OSC, ...); disposed with it */
  readonly surfaces?: readonly SurfaceStarter[];
  readonly onWarning?: (message: string) => void;
  /** a MIDI controller (`--midi NAME`; docs/midi.md); without it MIDI is never loaded */
  readonly midi?: Omit<StartMidiOptions, 'warn'>;
  /** follow Ableton Live's tempo and beat through AbletonOSC (`--ableton [host]`; docs/control.md) */
  readonly ableton?: Omit<StartAbletonOptions, 'warn'>;
  /** listen mode (`--listen`; docs/visuals.md): a sound-card input analysed live, shown and steering generation */
  readonly listen?: ShowListen;
}

/** Listen mode: where the music comes in, and what it does. */
export interface ShowListen {
  /** the input (PortAudio index or part of its name); default: the system default input */
  readonly device?: string;
  /** tests and embedders: any input (default: a PortAudioInput on `device`) */
  readonly input?: AudioInput;
  /**
   * whether the last bars heard steer generation: the imprint source imprints them (while no
   * text or image is imprinted), the diffusion source starts from them (img2img). Default true.
   */
  readonly steer?: boolean;
}

/** Everything a show is made of, and one way to end it. */
export interface Show {
  readonly engine: LiveEngine;
  readonly transport: Transport;
  readonly events: EventBus<EngineEvent>;
  readonly host: PlaybackHost;
  readonly pool: ReconstructionPool;
  readonly recorder: SessionRecorder | undefined;
  /** the session being rehearsed, if any */
  readonly session: SessionSegmentSource | undefined;
  /** listen mode's input and analysis, when listening */
  readonly listener: Listener | undefined;
  /** the control surfaces started with the show, in the order given */
  readonly surfaces: readonly ControlSurface[];
  /** Ableton Live being followed (`ableton` option), if any */
  readonly ableton: Awaited<ReturnType<typeof startAbleton>> | undefined;
  /** Plays until `seconds` have been heard or `stop()`; resolves with the run summary. */
  run(seconds: number): Promise<RunSummary>;
  stop(): void;
  /** Stops if running and releases everything (sound card, workers, recorder). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * The composition root: builds a show from options. `perform`, `rehearse`, `render`, the tests
 * and the benchmarks all start here; the CLI only parses options. Setup problems throw a
 * UserError before anything plays or is written (the recording folder is created last and removed
 * again if the show fails to start).
 */
export async function openShow(options: ShowOptions): Promise<Show> {
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`synesthete: warning: ${m}\n`));
  const modelsDir = options.modelsDir ? resolve(options.modelsDir) : undefined;
  const presetDirs = [...(options.presetDir ? [resolve(options.presetDir)] : []), bundledPresetsDir()];
  const preset: LoadedPreset | undefined = options.preset ? findPreset(options.preset, presetDirs, modelsDir) : undefined;
  const session = options.session ? new SessionSegmentSource(options.session) : undefined;
  if (session && session.boundaries.length === 0) throw new UserError(`${options.session}: the session has no recorded segments`);
  const source: SourceName = options.source ?? (session ? 'session' : preset ? 'diffusion' : 'imprint');
  const sampleRate = session?.sampleRate ?? DEFAULT_SPECTROGRAM_PARAMS.sampleRate;
  const pool = new ReconstructionPool();

  const unavailable = (name: SourceName): string | null => {
    if (name === 'session') return session ? null : 'a recorded session plays with `synesthete rehearse DIR` (docs/sessions.md)';
    if (name === 'diffusion') return preset ? null : 'the diffusion source needs models: start with --preset FILE (docs/presets.md)';
    if (name === 'images') {
      try {
        new ImagesSegmentSource(pool, options.images);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    }
    return null;
  };
  const firstProblem = unavailable(source);
  if (firstProblem) {
    await pool.dispose();
    throw new UserError(`--source ${source}: ${firstProblem}`);
  }
  // listen mode starts first: a missing input is a setup error, before anything else is opened
  let engine: LiveEngine | undefined;
  const listener = options.listen ? await startListener(options.listen, () => engine, warn).catch(async (e: unknown) => {
    await pool.dispose();
    throw e;
  }) : undefined;
  const listened = listener && options.listen?.steer !== false ? () => listener.picture() : undefined;
  const openSource = async (name: SourceName): Promise<SegmentSource> => {
    switch (name) {
      case 'images': return new ImagesSegmentSource(pool, options.images);
      case 'imprint': return new ImprintSegmentSource(pool, listened);
      case 'session': return session!;
      case 'diffusion': return DiffusionSegmentSource.open(preset!, pool, warn, (n) => findPreset(n, presetDirs, modelsDir), listened);
    }
  };

  let host: PlaybackHost;
  try {
    host = hostFor(options.output, sampleRate, warn);
  } catch (e) {
    await listener?.dispose();
    await pool.dispose();
    throw e;
  }
  let recorder: SessionRecorder | undefined;
  try {
    recorder = options.record ? await SessionRecorder.open(options.record, sampleRate, warn) : undefined;
  } catch (e) {
    await host.close();
    await listener?.dispose();
    await pool.dispose();
    throw e;
  }
  const tempoBpm = options.tempoBpm ?? preset?.preset.tempo;
  engine = new LiveEngine({
    host, source, openSource, sourceUnavailable: unavailable,
    picturesDir: resolve(options.pictures ?? DEFAULT_PICTURES_DIR),
    ...(tempoBpm !== undefined ? { tempoBpm } : {}),
    ...(options.ahead !== undefined ? { ahead: options.ahead } : {}),
    // listening, the projector shows the music coming in until the performer picks another look
    ...(listener ? { look: 'listen' as const } : {}),
    ...(recorder ? {
      onCommand: (c, at) => recorder!.command(at, c),
      onSegment: (s, frame, repeat) => recorder!.segment(frame, s, repeat),
      onPlaybackOp: (op, frame) => recorder!.playback(frame, op),
    } : {}),
  });
  if (options.script) engine.schedule(options.script);
  // a rehearsal shows what the projector showed: the look and effects change when they did
  if (session) engine.schedule(session.visualCommands);
  // MIDI first: the page's learn buttons drive the MIDI surface through the link
  let midi: Awaited<ReturnType<typeof startMidi>> | undefined;
  const learned = new Set<(parameter: string, mapping: string) => void>();
  if (options.midi) {
    try {
      midi = await startMidi(engine, { ...options.midi, warn, onLearned: (parameter, mapping) => { for (const l of learned) l(parameter, mapping); } });
    } catch (e) {
      await host.close();
      await listener?.dispose();
      await recorder?.discardIfEmpty();
      await pool.dispose();
      throw e instanceof MidiSetupError ? new UserError(e.message) : e;
    }
  }
  const surfaces = await startSurfaces(options.surfaces ?? [], showLink(engine, midi && midiLearnLink(midi.surface, learned)), async () => {
    midi?.dispose();
    await host.close();
    await listener?.dispose();
    await recorder?.discardIfEmpty();
    await pool.dispose();
  });
  let ableton: Awaited<ReturnType<typeof startAbleton>> | undefined;
  if (options.ableton) {
    try {
      ableton = await startAbleton(engine, { ...options.ableton, warn });
    } catch (e) {
      midi?.dispose();
      await Promise.allSettled(surfaces.map((s) => s.dispose()));
      await host.close();
      await listener?.dispose();
      await recorder?.discardIfEmpty();
      await pool.dispose();
      throw e instanceof AbletonSetupError ? new UserError(e.message) : e;
    }
  }

  // the page's health panel: is the music coming in (its level, silence, lost audio)
  if (listener) engine.reportListen(listener.health());
  const listenHealth = listener ? setInterval(() => engine.reportListen(listener.health()), LISTEN_HEALTH_MS) : undefined;
  listenHealth?.unref();
  let running: Promise<RunSummary> | undefined;
  let disposed: Promise<void> | undefined;
  return {
    engine, transport: engine.transport, events: engine.events, host, pool, recorder, session, surfaces, listener, ableton,
    run(seconds) {
      running = engine.run(seconds).then((summary) => {
        recorder?.end(Math.round(summary.durationSeconds * host.sampleRate));
        return summary;
      }, async (e: unknown) => {
        await recorder?.discardIfEmpty();
        throw e;
      });
      return running;
    },
    stop: () => engine.stop(),
    dispose() {
      disposed ??= (async () => {
        engine.stop();
        clearInterval(listenHealth);
        await Promise.allSettled(surfaces.map((s) => s.dispose()));
        // each step runs whatever the one before did: a failing close must not keep a port open
        const steps: Array<() => unknown> = [
          () => midi?.dispose(), () => ableton?.dispose(), () => running?.catch(() => undefined), () => host.close(),
          () => listener?.dispose(), () => recorder?.close(), () => pool.dispose(),
        ];
        let failure: unknown;
        for (const step of steps) {
          try {
            await step();
          } catch (e) {
            failure ??= e;
          }
        }
        engine.events.clear();
        if (failure !== undefined) throw failure;
      })();
      return disposed;
    },
  };
}

/**
 * Opens the listen input and starts analysing it; its columns go on the engine's event bus
 * (stamped with the output clock) once the engine exists, and only while someone subscribes.
 */
async function startListener(listen: ShowListen, engine: () => LiveEngine | undefined, warn: (m: string) => void): Promise<Listener> {
  const input = listen.input ?? new PortAudioInput({ ...(listen.device !== undefined ? { device: listen.device } : {}), sampleRate: DEFAULT_SPECTROGRAM_PARAMS.sampleRate, onWarning: warn });
  const listener = new Listener({
    input,
    onSilence: (seconds) => {
      const message = `the listen input "${input.deviceName}" has been silent for ${seconds} s: check the mixer's record out and the input chosen (--list-devices)`;
      const e = engine();
      if (e) e.warnOnce(message);
      else warn(message);
    },
    wanted: () => (engine()?.events.size ?? 0) > 0,
    publish: (columns) => {
      const e = engine()!;
      const { frame, sampleRate } = e.clock();
      const { bar, beat } = e.transport.position(frame);
      e.events.publish({ at: frame / sampleRate, frame, position: { bar, beat }, ...columns });
    },
  });
  await listener.start();
  return listener;
}

/** What a control surface may do with an engine (surfaces never see the engine itself). */
export function showLink(engine: LiveEngine, midiLearn?: MidiLearnLink): ShowLink {
  return {
    command: (input, surface) => engine.command(input, surface),
    state: () => engine.state(),
    clock: () => engine.clock(),
    reportProjector: (health) => engine.reportProjector(health),
    subscribe: (listener) => engine.events.subscribe(listener),
    warn: (message) => engine.warnOnce(message),
    ...(midiLearn ? { midiLearn } : {}),
  };
}

function midiLearnLink(surface: MidiSurface, learned: Set<(parameter: string, mapping: string) => void>): MidiLearnLink {
  return {
    arm: (parameter) => surface.armLearn(parameter),
    cancel: () => surface.cancelLearn(),
    onLearned: (listener) => {
      learned.add(listener);
      return () => learned.delete(listener);
    },
  };
}

/**
 * Starts the surfaces in order; if one cannot start (a port in use), those already started and
 * the show's resources are released and its one-line error becomes a UserError.
 */
async function startSurfaces(starters: readonly SurfaceStarter[], link: ShowLink, release: () => Promise<void>): Promise<ControlSurface[]> {
  const started: ControlSurface[] = [];
  try {
    for (const start of starters) started.push(await start(link));
    return started;
  } catch (e) {
    await Promise.allSettled(started.map((s) => s.dispose()));
    await release();
    throw e instanceof UserError ? e : new UserError(e instanceof Error ? e.message : String(e));
  }
}

/** The sound card's output queue by default, ms: 1 chunk in the ring + 4 native + the one in play. */
export const DEFAULT_BUFFER_MS = 35;
/** how often listen mode's input health is published */
const LISTEN_HEALTH_MS = 1000;
/** A file paced in real time stands in for a sound card in rehearsals and soaks, not for its latency: a deeper queue (32 chunks). */
export const DEFAULT_PACED_FILE_BUFFER_MS = 186;
const CHUNK_FRAMES = 256;

/** Native queue length (chunks) for a total output queue of about `bufferMs`: the ring's and the playing chunk come on top. */
export function nativeQueueFor(bufferMs: number, sampleRate: number): number {
  return Math.max(2, Math.round((bufferMs / 1000) * sampleRate / CHUNK_FRAMES) - 2);
}

/** The simulated device's queue (chunks) for a file paced in real time with an output queue of about `bufferMs`. */
export function pacedFileQueueFor(bufferMs: number, sampleRate: number): number {
  return Math.max(2, Math.round((bufferMs / 1000) * sampleRate / CHUNK_FRAMES));
}

/**
 * A file rendered as fast as possible is written inline (deterministic: renders take no audio
 * time). A sound card, and a file paced in real time (its stand-in), get an audio thread of their
 * own. A sound card's queue is short: 256-frame chunks (5.8 ms), 4 queued natively and 1 in the
 * ring, about 35 ms plus the device's own latency (docs/audio-output.md).
 */
function hostFor(output: ShowOutput, sampleRate: number, warn: (m: string) => void): PlaybackHost {
  switch (output.kind) {
    case 'host': return output.host;
    case 'wav':
      // paced in real time: a simulated sound card in an audio thread like a real one
      if (output.realtime) {
        const bufferChunks = pacedFileQueueFor(output.bufferMs ?? DEFAULT_PACED_FILE_BUFFER_MS, sampleRate);
        return new ThreadedHost(sampleRate, { sink: { kind: 'wav', path: output.path, sampleRate, paced: true, framesPerChunk: CHUNK_FRAMES, bufferChunks } }, warn);
      }
      return new InlineHost({ sink: new WavFileSink({ path: output.path, sampleRate, paced: false, onWarning: warn }), offline: true });
    case 'device':
      return new ThreadedHost(sampleRate, {
        sink: { kind: 'device', ...(output.device !== undefined ? { device: output.device } : {}), sampleRate, framesPerChunk: CHUNK_FRAMES,
          maxQueue: nativeQueueFor(output.bufferMs ?? DEFAULT_BUFFER_MS, sampleRate), ringChunks: 1 },
      }, warn);
  }
}
