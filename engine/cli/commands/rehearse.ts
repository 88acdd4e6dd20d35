import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../../errors.js';
import { SessionSegmentSource } from '../../live/session/sessionSegmentSource.js';
import { renderVideoFrame } from '../../live/session/sessionVideo.js';
import { type ShowOutput, openShow } from '../../show/openShow.js';
import { runAction } from '../runAction.js';
import { exitSoon, runShow } from '../showRunner.js';
import { stepProgress } from '../stepProgress.js';
import type { RunSummary } from '../../../control/protocol/summary.js';

/**
 * Plays a recorded session: the recorded segments at the frames they started at, with the
 * recorded instant controls, so the audio is what the show played. Commands are not re-applied:
 * they would not change recorded audio.
 */
async function playSession(dir: string, output: ShowOutput, summaryFile: string | undefined, verb: string): Promise<RunSummary> {
  const show = await openShow({ session: dir, output });
  return runShow(show, show.session!.durationSeconds, summaryFile, verb);
}

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
      const output: ShowOutput = opts.wav ? { kind: 'wav', path: opts.wav, realtime: opts.realtime === true }
        : { kind: 'device', ...(opts.audioDevice !== undefined ? { device: opts.audioDevice } : {}) };
      try {
        await playSession(dir, output, opts.summary, 'rehearsed');
      } finally {
        exitSoon();
      }
    }));
}

/** `render DIR OUT.wav|OUT.mp4`: a recorded session, offline, to a file. */
export function renderCommand(): Command {
  return new Command('render')
    .summary('render a recorded session offline to a WAV file or a video')
    .description('Render a session recorded with `perform --record DIR`: OUT.wav (32-bit float stereo), or OUT.mp4, a video of the '
      + 'scrolling spectrogram with its audio (needs ffmpeg). As fast as the machine allows. See docs/sessions.md.')
    .argument('<dir>', 'session folder (journal.jsonl + segments/)')
    .argument('<out>', 'output file: .wav or .mp4')
    .option('--size <WxH>', 'video frame size', '1280x720')
    .option('--fps <n>', 'video frames per second', '30')
    .addHelpText('after', '\nExamples:\n  $ synesthete render sessions/friday friday.wav\n  $ synesthete render sessions/friday friday.mp4 --size 1920x1080\n')
    .action(runAction(async (dir: string, out: string, opts: { size: string; fps: string }) => {
      const ext = extname(out).toLowerCase();
      if (ext !== '.wav' && ext !== '.mp4') throw new UserError(`${out}: unknown output type '${ext || '(none)'}' (expected .wav or .mp4)`);
      if (ext === '.mp4') {
        await renderVideo(dir, out, parseSize(opts.size), parseFps(opts.fps));
        return;
      }
      await playSession(dir, { kind: 'wav', path: out }, undefined, `rendered to ${out}:`);
    }));
}

function parseSize(raw: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(raw.trim());
  const width = Number(m?.[1]), height = Number(m?.[2]);
  if (!m || width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 || height % 2) {
    throw new UserError(`--size ${JSON.stringify(raw)}: expected WIDTHxHEIGHT, even numbers from 16x16 to 7680x4320`);
  }
  return { width, height };
}

function parseFps(raw: string): number {
  const fps = Number(raw);
  if (!Number.isInteger(fps) || fps < 1 || fps > 120) throw new UserError(`--fps ${JSON.stringify(raw)}: expected a whole number from 1 to 120`);
  return fps;
}

/** The session's audio (offline) and a scrolling-spectrogram video piped to ffmpeg, written all or nothing. */
async function renderVideo(dir: string, out: string, size: { width: number; height: number }, fps: number): Promise<void> {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) {
    throw new UserError(`${out}: video rendering needs ffmpeg, which was not found (Debian/Ubuntu: apt-get install ffmpeg)`);
  }
  const source = new SessionSegmentSource(dir);
  if (source.boundaries.length === 0) throw new UserError(`${dir}: the session has no recorded segments`);
  const work = mkdtempSync(join(tmpdir(), 'synesthete-render-'));
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.pending.mp4`);
  const progress = stepProgress();
  try {
    const audioFile = join(work, 'audio.wav');
    await playSession(dir, { kind: 'wav', path: audioFile }, undefined, 'rendered audio:');
    const pieces = source.timeline();
    const duration = pieces.reduce((s, p) => Math.max(s, p.start + p.duration), 0);
    const frames = Math.ceil(duration * fps);
    const ffmpeg = spawn('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size.width}x${size.height}`,
      '-r', String(fps), '-i', '-', '-i', audioFile, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '192k', '-shortest', '-f', 'mp4', partial], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    ffmpeg.stderr.on('data', (d: Buffer) => { errors += d.toString(); });
    // an ffmpeg that dies early closes its stdin under us: that is its failure, reported below
    ffmpeg.stdin.on('error', () => undefined);
    let done = false;
    const exited = new Promise<number>((resolve) => {
      ffmpeg.on('error', () => { done = true; resolve(127); });
      ffmpeg.on('close', (code) => { done = true; resolve(code ?? 1); });
    });
    const frame = new Uint8Array(size.width * size.height * 3);
    for (let i = 0; i < frames && !done; i++) {
      renderVideoFrame(pieces, i / fps, { width: size.width, height: size.height, spanSeconds: 10 }, frame);
      if (!ffmpeg.stdin.write(Buffer.from(frame))) await Promise.race([new Promise((r) => ffmpeg.stdin.once('drain', r)), exited]);
      if (i % fps === 0) progress.update(i, frames, 'rendering video');
    }
    ffmpeg.stdin.end();
    const code = await exited;
    const why = errors.trim().split('\n').at(-1) || `exit code ${code}`;
    if (code !== 0) throw new UserError(`${out}: ffmpeg failed (${why})`);
    renameSync(partial, out);
    progress.stop();
    process.stderr.write(`synesthete: rendered ${duration.toFixed(1)} s of video to ${out}\n`);
  } finally {
    progress.stop();
    rmSync(partial, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
