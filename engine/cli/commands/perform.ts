import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { SOURCES, type SourceName } from '../../../control/commands/commandSchema.js';
import type { EngineEvent } from '../../../control/commands/engineState.js';
import { readEventScript } from '../../../control/commands/eventScript.js';
import { UserError } from '../../errors.js';
import { LiveEngine } from '../../live/liveEngine.js';
import { SessionRecorder } from '../../live/session/sessionRecorder.js';
import type { SegmentSource } from '../../live/segmentSource.js';
import { DiffusionSegmentSource } from '../../live/sources/diffusionSegmentSource.js';
import { ImagesSegmentSource } from '../../live/sources/imagesSegmentSource.js';
import { ImprintSegmentSource } from '../../live/sources/imprintSegmentSource.js';
import { loadPreset } from '../../presets/loadPreset.js';
import { ReconstructionPool } from '../../reconstruct/reconstructionPool.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../spectrogram/params.js';
import { isOffline, outputSink } from '../outputSink.js';
import { runAction } from '../runAction.js';

interface PerformOptions {
  readonly preset?: string;
  readonly models?: string;
  readonly source?: SourceName;
  readonly audioDevice?: string;
  readonly wav?: string;
  readonly headless?: boolean;
  readonly duration?: string;
  readonly events?: string;
  readonly summary?: string;
  readonly realtime?: boolean;
  readonly images?: string;
  readonly record?: string;
  readonly tempo?: string;
  readonly ahead?: string;
}

/** `perform`: the live engine, playing segments back to back and steered by commands. */
export function performCommand(): Command {
  return new Command('perform')
    .summary('play a live set: sound-picture segments back to back, steered while they play')
    .description('Run the live engine: segments are rendered ahead in the background and played without a gap; '
      + 'commands (from --events, later MIDI/OSC) are heard from the next segment boundary. See docs/performing.md.')
    .option('--preset <file>', 'preset for the diffusion source (models, plan, prompts; docs/presets.md)')
    .option('--models <dir>', 'folder of model folders for bare model names in the preset (default ./models)')
    .addOption(new Option('--source <name>', 'where segments come from (default: diffusion with --preset, else imprint)').choices(SOURCES))
    .option('--images <dir>', 'folder of sound-picture PNGs for --source images (default: the bundled Riffusion seed loops)')
    .option('--audio-device <name>', 'play through this PortAudio output (name substring or index; default: the system default)')
    .option('--wav <out.wav>', 'write the performance to a WAV file instead of a sound card (headless)')
    .option('--realtime', 'with --wav: pace the file at real time, like a sound card (default: as fast as rendering allows)')
    .option('--headless', 'no projector window (the visuals are not built yet, so this is the only mode)')
    .option('--tempo <bpm>', 'master tempo: every segment is fitted to a whole number of 4/4 bars, pitch unchanged (default: the preset\'s `tempo`, else free)')
    .option('--ahead <n>', 'segments kept rendered ahead of playback (default 2): more absorbs slow renders, fewer reacts sooner')
    .option('--duration <seconds>', 'stop after this many seconds of audio (default: until Ctrl+C)')
    .option('--events <file.jsonl>', 'scripted commands: one {"at": seconds, "command": {...}} per line (docs/commands.md)')
    .option('--record <dir>', 'record the session to a new folder: journal of commands and every played segment (docs/sessions.md)')
    .option('--summary <file.json>', 'write a JSON summary at exit: underruns, segments, event latencies (docs/commands.md)')
    .addHelpText('after', '\nExamples:\n  $ synesthete perform --wav set.wav --duration 60 --events set.jsonl --summary summary.json\n  $ synesthete perform --source images --audio-device pulse\n')
    .action(runAction(perform));
}

async function perform(opts: PerformOptions): Promise<void> {
  const duration = opts.duration === undefined ? Number.POSITIVE_INFINITY : Number(opts.duration);
  if (!(duration > 0)) throw new UserError(`--duration ${JSON.stringify(opts.duration)}: expected a number of seconds > 0`);
  const source: SourceName = opts.source ?? (opts.preset ? 'diffusion' : 'imprint');
  if (source === 'session') throw new UserError('--source session: play a recorded session with `synesthete rehearse DIR` (docs/sessions.md)');
  if (source === 'diffusion' && !opts.preset) throw new UserError('--source diffusion needs --preset FILE (the models and plan to run)');
  const preset = opts.preset ? loadPreset(opts.preset, opts.models ? resolve(opts.models) : undefined) : undefined;
  const tempo = opts.tempo !== undefined ? Number(opts.tempo) : preset?.preset.tempo;
  if (tempo !== undefined && !(tempo >= 20 && tempo <= 300)) throw new UserError(`--tempo ${JSON.stringify(opts.tempo)}: expected a tempo from 20 to 300 BPM`);
  const ahead = opts.ahead === undefined ? undefined : Number(opts.ahead);
  if (ahead !== undefined && !(Number.isInteger(ahead) && ahead >= 1 && ahead <= 16)) throw new UserError(`--ahead ${JSON.stringify(opts.ahead)}: expected a whole number from 1 to 16`);
  const script = opts.events ? readEventScript(opts.events) : [];
  const warn = (m: string) => process.stderr.write(`synesthete: warning: ${m}\n`);
  const recorder = opts.record ? await SessionRecorder.open(opts.record, DEFAULT_SPECTROGRAM_PARAMS.sampleRate, warn) : undefined;
  const sink = outputSink(opts, warn);
  const pool = new ReconstructionPool();
  const openSource = async (name: SourceName): Promise<SegmentSource> => {
    if (name === 'images') return new ImagesSegmentSource(pool, opts.images);
    if (name === 'imprint') return new ImprintSegmentSource(pool);
    if (name === 'diffusion' && preset) return DiffusionSegmentSource.open(preset, pool, warn);
    throw new UserError(`source ${name} is not available${name === 'diffusion' ? ' without --preset' : ' yet'}`);
  };
  if (source === 'imprint') process.stderr.write('synesthete: playing the imprint source (no models needed); to generate with models see docs/models.md\n');
  const offline = isOffline(opts);
  const engine = new LiveEngine({
    sink, source, openSource, waitForSegments: offline, onEvent: (e) => report(e), ...(tempo !== undefined ? { tempoBpm: tempo } : {}), ...(ahead !== undefined ? { ahead } : {}),
    ...(recorder ? { onSegment: (s, at, repeat) => recorder.segment(at, s, repeat), onCommand: (c, at) => recorder.command(at, c) } : {}),
  });
  engine.schedule(script);
  const stop = () => engine.stop();
  process.once('SIGINT', stop);
  try {
    const summary = await engine.run(duration);
    if (opts.summary) writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
    process.stderr.write(`synesthete: played ${summary.durationSeconds.toFixed(1)} s, ${summary.segmentsPlayed} segments, `
      + `${summary.underruns} underruns, ${summary.lateSegments} late${summary.underruns > 0 ? ` (output: ${JSON.stringify(sink.stats)})` : ''}\n`);
  } finally {
    process.off('SIGINT', stop);
    await recorder?.close();
    await pool.dispose();
  }
}

function report(e: EngineEvent): void {
  if (e.type === 'segment-started') process.stderr.write(`[${e.at.toFixed(2)} s] segment ${e.segmentId}: ${e.recipe.description}\n`);
  else if (e.type === 'command-rejected') process.stderr.write(`synesthete: command rejected at ${e.at.toFixed(2)} s: ${e.reason}\n`);
  else if (e.type === 'warning') process.stderr.write(`synesthete: warning at ${e.at.toFixed(2)} s: ${e.message}\n`);
}
