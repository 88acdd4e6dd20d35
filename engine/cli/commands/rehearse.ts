import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command } from 'commander';
import type { AudioSink } from '../../audio/audioSink.js';
import { PortAudioSink } from '../../audio/portAudioSink.js';
import { WavFileSink } from '../../audio/wavFileSink.js';
import { UserError } from '../../errors.js';
import { LiveEngine } from '../../live/liveEngine.js';
import { SessionSegmentSource } from '../../live/session/sessionSegmentSource.js';
import { runAction } from '../runAction.js';

/**
 * Plays a recorded session through `sink`: the recorded segments in order (repeats included), so
 * the audio is what the show played. Commands are not re-applied: they would not change recorded
 * audio.
 */
async function playSession(dir: string, sink: AudioSink, offline: boolean): Promise<import('../../../control/commands/runSummary.js').RunSummary> {
  const source = new SessionSegmentSource(dir);
  if (source.boundaries.length === 0) throw new UserError(`${dir}: the session has no recorded segments`);
  const engine = new LiveEngine({ sink, source: 'session', openSource: async () => source, waitForSegments: offline });
  return engine.run(source.durationSeconds);
}

const warn = (m: string) => process.stderr.write(`synesthete: warning: ${m}\n`);

/** `rehearse DIR`: replay a recorded session, live or to a file. */
export function rehearseCommand(): Command {
  return new Command('rehearse')
    .summary('replay a recorded session with the same audio (no models or GPU needed)')
    .description('Play a session recorded with `perform --record DIR`: the same segments in the same order, so the same audio. See docs/sessions.md.')
    .argument('<dir>', 'session folder (journal.jsonl + segments/)')
    .option('--audio-device <name>', 'PortAudio output (name substring or index; default: the system default)')
    .option('--wav <out.wav>', 'write to a WAV file instead of a sound card')
    .option('--realtime', 'with --wav: pace the file at real time')
    .option('--summary <file.json>', 'write the run summary as JSON')
    .addHelpText('after', '\nExamples:\n  $ synesthete rehearse sessions/friday\n  $ synesthete rehearse sessions/friday --wav friday.wav\n')
    .action(runAction(async (dir: string, opts: { audioDevice?: string; wav?: string; realtime?: boolean; summary?: string }) => {
      if (opts.wav && opts.audioDevice) throw new UserError('--wav and --audio-device cannot be combined: choose one output');
      const sink: AudioSink = opts.wav
        ? new WavFileSink({ path: opts.wav, paced: opts.realtime === true, onWarning: warn })
        : new PortAudioSink({ ...(opts.audioDevice !== undefined ? { device: opts.audioDevice } : {}), onWarning: warn });
      const summary = await playSession(dir, sink, opts.wav !== undefined && opts.realtime !== true);
      if (opts.summary) writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
      process.stderr.write(`synesthete: rehearsed ${summary.durationSeconds.toFixed(1)} s, ${summary.segmentsPlayed} segments\n`);
    }));
}

/** `render DIR OUT.wav`: a recorded session, offline, to a file. */
export function renderCommand(): Command {
  return new Command('render')
    .summary('render a recorded session offline to a WAV file')
    .description('Render a session recorded with `perform --record DIR` to OUT.wav (32-bit float stereo), as fast as the disk allows. '
      + 'Video output (the scrolling spectrogram, OUT.mp4) is not built yet. See docs/sessions.md.')
    .argument('<dir>', 'session folder (journal.jsonl + segments/)')
    .argument('<out>', 'output file: .wav')
    .addHelpText('after', '\nExample:\n  $ synesthete render sessions/friday friday.wav\n')
    .action(runAction(async (dir: string, out: string) => {
      const ext = extname(out).toLowerCase();
      if (ext === '.mp4') throw new UserError(`${out}: video rendering is not built yet; render to .wav`);
      if (ext !== '.wav') throw new UserError(`${out}: unknown output type '${ext || '(none)'}' (expected .wav)`);
      const summary = await playSession(dir, new WavFileSink({ path: out, paced: false, onWarning: warn }), true);
      process.stderr.write(`synesthete: rendered ${summary.durationSeconds.toFixed(1)} s to ${out}\n`);
    }));
}
