/**
 * `npm run fuzz`: the fuzzing the test suite does in seconds (test/fuzz/fuzzInputs.test.ts), at
 * length. Two passes per kind of input (PNG, WAV, preset, session journal, EXIF):
 *
 * 1. in-process: many generated files through the readers and the first steps of their commands;
 * 2. the real CLI on a sample of them, each a separate process measured with /usr/bin/time: exit
 *    code, stderr (one line, no stack trace), peak memory, time, and whether a file that was in the
 *    output folder before survived.
 *
 * Prints a Markdown table for docs/reliability.md and exits 1 if any case crashed, printed a stack
 * trace, exited 0 on a refused input or without output, lost a file, or used more than 1 GB.
 *
 * Usage: npm run fuzz [-- --cases N] [--cli N] [--seed S]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPng } from '../../engine/io/png.js';
import { readWav } from '../../engine/io/wav.js';
import { ReconstructionPool } from '../../engine/reconstruct/reconstructionPool.js';
import { FUZZ_KINDS, type FuzzKind, MAIN_FILE, fuzzCase } from '../helpers/fuzz/fuzzCases.js';
import { materialise, removeCase, runInProcess } from '../helpers/fuzz/fuzzTarget.js';
import { Random } from '../helpers/fuzz/random.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const CLI = join(ROOT, 'dist/engine/cli/synesthete.cjs');
const TINY_AUDIO = join(ROOT, 'test/fixtures/tiny-sd/audio');
const MEMORY_LIMIT_KB = 1024 * 1024;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Tally {
  cases: number;
  accepted: number;
  refused: number;
  bad: string[];
  maxMs: number;
  maxRssKb: number;
}

const tally = (): Tally => ({ cases: 0, accepted: 0, refused: 0, bad: [], maxMs: 0, maxRssKb: 0 });

/** The command a kind of file is handed to, and the output it should leave on success. */
function commandFor(kind: FuzzKind, dir: string): { args: string[]; output: string } {
  const out = join(dir, 'out');
  const main = join(dir, MAIN_FILE[kind]);
  switch (kind) {
    case 'png':
    case 'exif': return { args: ['image-to-audio', main, join(out, 'a.wav'), '--iterations', '2', '--threads', '0'], output: join(out, 'a.wav') };
    case 'wav': return { args: ['audio-to-image', main, join(out, 'a.png')], output: join(out, 'a.png') };
    case 'preset': return { args: ['generate', '--preset', main, '--out', out], output: join(out, 'preset.wav') };
    case 'journal': return { args: ['render', join(dir, 'session'), join(out, 'a.wav')], output: join(out, 'a.wav') };
  }
}

function runCli(kind: FuzzKind, dir: string, name: string, t: Tally): void {
  const { args, output } = commandFor(kind, dir);
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'keep.txt'), 'made earlier');
  const timeFile = join(dir, 'time.txt');
  const argv = TIME ? [TIME, '-f', '%M %e', '-o', timeFile, process.execPath, CLI, ...args] : [process.execPath, CLI, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 300_000 });
  t.cases++;
  if (TIME && existsSync(timeFile)) {
    const [kb, seconds] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    t.maxRssKb = Math.max(t.maxRssKb, kb!);
    t.maxMs = Math.max(t.maxMs, seconds! * 1000);
    if (kb! > MEMORY_LIMIT_KB) t.bad.push(`${name}: ${Math.round(kb! / 1024)} MB`);
  }
  const lines = r.stderr.trimEnd().split('\n').filter((l) => l !== '' && !l.startsWith('synesthete: warning:'));
  if (/\n\s+at /.test(r.stderr) || r.status === 2) t.bad.push(`${name}: stack trace: ${r.stderr.split('\n').slice(0, 2).join(' | ')}`);
  else if (r.status === 1 && lines.length === 1 && lines[0]!.startsWith('synesthete: ')) t.refused++;
  else if (r.status === 0) {
    try {
      if (output.endsWith('.wav')) readWav(output); else readPng(output);
      t.accepted++;
    } catch (e) {
      t.bad.push(`${name}: exit 0 without a readable output (${(e as Error).message})`);
    }
  } else t.bad.push(`${name}: exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 300)}`);
  if (readFileSync(join(out, 'keep.txt'), 'utf8') !== 'made earlier') t.bad.push(`${name}: lost a file made earlier`);
  const left = readdirSync(out).filter((f) => f !== 'keep.txt');
  if (r.status !== 0 && left.length > 0) t.bad.push(`${name}: failed but left ${left.join(', ')}`);
}

async function main(): Promise<void> {
  const cases = option('cases', 300);
  const cliCases = option('cli', 30);
  const seed = option('seed', 1);
  const pool = new ReconstructionPool({ threads: 0 });
  const rows: string[] = [];
  let failed = false;
  for (const kind of FUZZ_KINDS) {
    const inProcess = tally();
    const cli = tally();
    const rng = new Random(seed * 1000 + kind.length);
    for (let i = 0; i < cases; i++) {
      const c = fuzzCase(kind, rng, i, { audioModel: TINY_AUDIO });
      const dir = materialise(c);
      const t0 = performance.now();
      const outcome = await runInProcess(kind, dir, pool);
      inProcess.maxMs = Math.max(inProcess.maxMs, performance.now() - t0);
      inProcess.maxRssKb = Math.max(inProcess.maxRssKb, process.memoryUsage().rss / 1024);
      inProcess.cases++;
      if (outcome.kind === 'accepted') inProcess.accepted++;
      else if (outcome.kind === 'refused') inProcess.refused++;
      else inProcess.bad.push(`${c.name}: ${outcome.error.split('\n')[0]}`);
      if (i < cliCases) runCli(kind, dir, c.name, cli);
      removeCase(dir);
    }
    for (const [how, t] of [['in-process', inProcess], ['CLI', cli]] as const) {
      rows.push(`| ${kind} | ${how} | ${t.cases} | ${t.accepted} | ${t.refused} | ${t.bad.length} | ${(t.maxMs / 1000).toFixed(2)} s | ${t.maxRssKb ? `${Math.round(t.maxRssKb / 1024)} MB` : 'n/a'} |`);
      for (const b of t.bad.slice(0, 10)) process.stderr.write(`BAD ${kind} ${how}: ${b}\n`);
      if (t.bad.length > 0) failed = true;
    }
    process.stderr.write(`${kind}: done\n`);
  }
  await pool.dispose();
  process.stdout.write(`| input | run | cases | accepted | refused (one clear line) | bad | slowest case | peak memory |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
  if (!TIME) process.stdout.write('(/usr/bin/time not found: CLI memory and time not measured; apt-get install time)\n');
  process.exitCode = failed ? 1 : 0;
}

await main();
