import { Command, Option } from 'commander';
import { SOURCES, type SourceName } from '../../../control/protocol/commands.js';
import { parameterHelp } from '../../../control/protocol/parameterDocs.js';
import { UserError } from '../../errors.js';
import { checkOutputExtension } from '../../io/outputFormat.js';
import { readEventScript } from '../../live/eventScript.js';
import { DEFAULT_PICTURES_DIR } from '../../live/namingSurfaces.js';
import { type ShowOutput, openShow } from '../../show/openShow.js';
import { BUFFER_HELP, bufferOption } from '../bufferOption.js';
import { type OscFlags, addOscOptions, oscSurfaces } from '../oscOptions.js';
import { type WebFlags, addWebOptions, announceWeb, webSurfaces } from '../webOptions.js';
import { runAction } from '../runAction.js';
import { listDevices } from '../listDevices.js';
import { checkSummaryPath, exitSoon, runShow } from '../showRunner.js';
import { type StartedVisuals, type VisualsFlags, addVisualsOptions, showOutputUrl, startVisuals, visualsEnvironment, visualsPlan } from '../visualsOptions.js';

interface PerformOptions extends OscFlags, WebFlags, VisualsFlags {
  readonly preset?: string;
  readonly presets?: string;
  readonly models?: string;
  readonly source?: SourceName;
  readonly audioDevice?: string;
  readonly wav?: string;
  readonly duration?: string;
  readonly events?: string;
  readonly summary?: string;
  readonly realtime?: boolean;
  readonly images?: string;
  readonly record?: string;
  readonly tempo?: string;
  readonly ahead?: string;
  readonly listDevices?: boolean;
  readonly buffer?: string;
  readonly midi?: string;
  readonly midiClock?: boolean;
  readonly listen?: string | boolean;
  readonly listenSteer?: boolean;
  readonly listenGain?: string;
  /** `--ableton` alone is true, `--ableton HOST` the host */
  readonly ableton?: string | boolean;
}

/** `perform`: the live engine, playing segments back to back and steered by commands. */
export function performCommand(): Command {
  return addVisualsOptions(addWebOptions(addOscOptions(new Command('perform')
    .summary('play a live set: sound-picture segments back to back, steered while they play')
    .description('Run the show: segments are rendered ahead in the background and played without a gap; generative commands '
      + 'switch in at the next bar (see quantize), instant ones (gain, filter, freeze) within milliseconds. See docs/performing.md.')
    .option('--preset <file>', 'preset for the diffusion source (models, plan, prompts; docs/presets.md)')
    .option('--presets <dir>', 'your preset folder: `preset` commands look here first, then in the bundled presets/')
    .option('--pictures <dir>', `folder of PNG/JPEG pictures the control page and OSC imprint by name (default ./${DEFAULT_PICTURES_DIR}; docs/control.md)`)
    .option('--models <dir>', 'folder of model folders for bare model names in the preset (default ./models)')
    .addOption(new Option('--source <name>', 'where segments come from (default: diffusion with --preset, else imprint)').choices(SOURCES))
    .option('--images <dir>', 'folder of sound-picture PNGs for --source images (default: the bundled Riffusion seed loops)')
    .option('--audio-device <name>', 'play through this PortAudio output (name substring or index; default: the system default)')
    .option('--buffer <ms>', BUFFER_HELP)
    .option('--list-devices', 'list the sound-card outputs and inputs (index, name, channels) and exit: the first thing to check at a venue')
    .option('--wav <out.wav>', 'write the performance to a WAV file instead of a sound card; as fast as rendering allows, so --duration is required (or pace it with --realtime)')
    .option('--realtime', 'with --wav: pace the file at real time, like a sound card')
    .option('--tempo <bpm>', 'master tempo: every segment is fitted to whole bars, pitch unchanged (default: the preset\'s `tempo`, else free with the clock at 120)')
    .option('--ahead <n>', 'segments kept rendered ahead of playback (default 2; 1 when the music heard steers, see --listen): more absorbs slow renders')
    .option('--duration <seconds>', 'stop after this many seconds of audio (default: until Ctrl+C)')
    .option('--events <file.jsonl>', 'scripted commands: one {"at": seconds, "command": {...}} per line (docs/commands.md)')
    .option('--record <dir>', 'record the session to a new folder: journal of commands and every played segment (docs/sessions.md)')
    .option('--midi <name>', 'a MIDI controller (port name prefix, ALSA numbers ignored; `synesthete midi list`): its mappings, LED feedback and program changes (docs/midi.md)')
    .option('--midi-clock', 'with --midi: follow the device\'s MIDI clock (tempo and beats, through smoothing)')
    .option('--listen [input]', 'listen mode: analyse this sound-card input live (the DJ mixer\'s record out; name substring or index, see --list-devices; default: the system default input) and show its spectrogram on the projector; no model needed. The input is never played back (docs/visuals.md)')
    .option('--no-listen-steer', 'with --listen: only show the music heard; by default the last 5.12 s heard also steer generation (imprinted by the imprint source, img2img init of the diffusion source)')
    .option('--listen-gain <level>', 'with --listen: the level Synesthete\'s own sound starts at, 0 to 1 (default 0: the DJ\'s music is the sound and Synesthete only shows; raise `gain` live to mix it in)')
    .option('--ableton [host]', 'follow Ableton Live\'s tempo and beat through AbletonOSC (Live on HOST, default 127.0.0.1: UDP 11000 out, answers on 11001; docs/control.md)')
    .option('--summary <file.json>', 'write a JSON summary at exit: underruns, segments, command latencies (docs/commands.md)')))
    .addHelpText('after', () => `\nControls (commands in --events files and OSC addresses; docs/commands.md, docs/control.md):\n${parameterHelp()}\n`
      + '\nCtrl+C, SIGTERM and SIGHUP end the show cleanly (summary written, files closed).\n'
      + '\nWhile the show plays in real time it serves the control page on http://127.0.0.1:8420/ (the projector on /output)\n'
      + 'and listens for OSC on 127.0.0.1:9000 (docs/control.md):\n'
      + '  $ oscsend 127.0.0.1 9000 /synesthete/gain f 0.5\n'
      + '\nWith no --projector, --visuals or --headless, a show started from a terminal on a desktop opens its projector output '
      + '(Electron where installed, else the system browser); never in CI or scripts (docs/visuals.md).\n'
      + '\nExamples:\n  $ synesthete perform\n  $ synesthete perform --projector 2\n  $ synesthete perform --visuals browser\n  $ synesthete perform --wav set.wav --duration 60 --events set.jsonl --summary summary.json\n  $ synesthete perform --source images --audio-device pulse\n'
      + '  $ synesthete perform --listen "USB Audio"      # visuals of the DJ\'s music, no model\n'
      + '  $ synesthete perform --bind 0.0.0.0 --osc-allow 192.168.1.20 --osc-feedback 192.168.1.20:9001\n')
    .action(runAction(perform)));
}

/** The listen options, checked; undefined without --listen. */
function listenOptions(opts: PerformOptions): { device?: string; steer: boolean; gain: number } | undefined {
  if (opts.listen === undefined || opts.listen === false) {
    if (opts.listenGain !== undefined) throw new UserError('--listen-gain needs --listen');
    if (opts.listenSteer === false) throw new UserError('--no-listen-steer needs --listen');
    return undefined;
  }
  const gain = opts.listenGain === undefined ? 0 : Number(opts.listenGain);
  if (!(gain >= 0 && gain <= 1)) throw new UserError(`--listen-gain ${JSON.stringify(opts.listenGain)}: expected a level from 0 to 1`);
  return { ...(typeof opts.listen === 'string' ? { device: opts.listen } : {}), steer: opts.listenSteer !== false, gain };
}

async function perform(opts: PerformOptions): Promise<void> {
  if (opts.listDevices) {
    await listDevices();
    return;
  }
  const duration = opts.duration === undefined ? Number.POSITIVE_INFINITY : Number(opts.duration);
  if (!(duration > 0)) throw new UserError(`--duration ${JSON.stringify(opts.duration)}: expected a number of seconds > 0`);
  checkSummaryPath(opts.summary);
  if (opts.wav) checkOutputExtension(opts.wav, ['.wav'], 'a WAV file');
  if (opts.wav && opts.audioDevice) throw new UserError('--wav and --audio-device cannot be combined: choose one output');
  if (opts.wav && !opts.realtime && opts.duration === undefined) {
    throw new UserError('--wav without --realtime renders as fast as it can: give --duration SECONDS (or add --realtime to play it in real time until Ctrl+C)');
  }
  if (opts.midiClock && !opts.midi) throw new UserError('--midi-clock needs --midi NAME: the device whose clock to follow');
  const listen = listenOptions(opts);
  if (listen && opts.wav && !opts.realtime) throw new UserError('--listen hears the room in real time: it cannot render --wav as fast as possible (add --realtime)');
  if (opts.ableton !== undefined && opts.wav && !opts.realtime) throw new UserError('--ableton follows Live in real time, and --wav without --realtime renders as fast as it can: add --realtime (or play to a sound card)');
  if (opts.ableton !== undefined && opts.midiClock) throw new UserError('--ableton and --midi-clock both steer the tempo: follow one clock (MIDI clock is the tighter, docs/control.md)');
  if (opts.source === 'session') throw new UserError('--source session: play a recorded session with `synesthete rehearse DIR` (docs/sessions.md)');
  const tempo = opts.tempo !== undefined ? Number(opts.tempo) : undefined;
  if (tempo !== undefined && !(tempo >= 20 && tempo <= 300)) throw new UserError(`--tempo ${JSON.stringify(opts.tempo)}: expected a tempo from 20 to 300 BPM`);
  // steering by the music heard: every segment queued ahead delays it by 5 s, so keep one
  const ahead = opts.ahead === undefined ? (listen?.steer ? 1 : undefined) : Number(opts.ahead);
  if (ahead !== undefined && !(Number.isInteger(ahead) && ahead >= 1 && ahead <= 16)) throw new UserError(`--ahead ${JSON.stringify(opts.ahead)}: expected a whole number from 1 to 16`);
  // listen mode starts Synesthete's own sound at --listen-gain, before any scripted command
  const script = [...(listen ? [{ at: 0, command: { type: 'gain' as const, value: listen.gain }, line: 0 }] : []), ...(opts.events ? readEventScript(opts.events) : [])];
  const realtime = !opts.wav || opts.realtime === true;
  const visuals = visualsPlan(opts, realtime, visualsEnvironment());
  const surfaces = [...webSurfaces(opts, realtime), ...oscSurfaces(opts, realtime)];
  const output: ShowOutput = opts.wav
    ? { kind: 'wav', path: opts.wav, realtime: opts.realtime === true, ...bufferOption(opts.buffer, opts.realtime === true) }
    : { kind: 'device', ...(opts.audioDevice !== undefined ? { device: opts.audioDevice } : {}), ...bufferOption(opts.buffer) };
  const show = await openShow({
    output, script, surfaces,
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.preset ? { preset: opts.preset } : {}),
    ...(opts.presets ? { presetDir: opts.presets } : {}),
    ...(opts.pictures ? { pictures: opts.pictures } : {}),
    ...(opts.models ? { modelsDir: opts.models } : {}),
    ...(opts.images ? { images: opts.images } : {}),
    ...(opts.record ? { record: opts.record } : {}),
    ...(tempo !== undefined ? { tempoBpm: tempo } : {}),
    ...(ahead !== undefined ? { ahead } : {}),
    ...(opts.midi ? { midi: { device: opts.midi, clock: opts.midiClock === true } } : {}),
    ...(listen ? { listen: { ...(listen.device !== undefined ? { device: listen.device } : {}), steer: listen.steer } } : {}),
    ...(opts.ableton !== undefined ? { ableton: opts.ableton === true ? {} : { host: String(opts.ableton) } } : {}),
  });
  if (show.listener) {
    const steer = listen!.steer ? ', steering generation' : '';
    process.stderr.write(`synesthete: listening to "${show.listener.deviceName}"${steer}; Synesthete's own sound at gain ${listen!.gain} (docs/visuals.md)\n`);
  }
  for (const s of show.surfaces) if (s.description) process.stderr.write(`synesthete: ${s.description} (docs/control.md)\n`);
  if (show.ableton) process.stderr.write(`synesthete: ${show.ableton.description} (docs/control.md)\n`);
  await announceWeb(show.surfaces, opts.bind, (line) => process.stderr.write(`synesthete: ${line}\n`));
  if (show.engine.state().source === 'imprint') process.stderr.write('synesthete: playing the imprint source (no models needed); to generate with models see docs/models.md\n');
  let window: StartedVisuals | undefined;
  try {
    window = await startVisuals(visuals, showOutputUrl(show));
    await runShow(show, duration, opts.summary, 'played');
    if (show.listener) {
      const { heardSeconds, stats, deviceName } = show.listener;
      process.stderr.write(`synesthete: listened to "${deviceName}" for ${heardSeconds.toFixed(1)} s, ${stats.overflows} input overflows, ${stats.errors} input failures\n`);
    }
  } finally {
    await window?.dispose();
    exitSoon();
  }
}
