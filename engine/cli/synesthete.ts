#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

// Audio output keeps a libuv pool thread busy for the whole show and a lost device blocks another
// (docs/audio-output.md); the default pool of 4 is shared with fs and zlib. The pool starts on the
// first asynchronous job, after this line.
process.env.UV_THREADPOOL_SIZE ??= '16';

/** The `synesthete` command line: one program, a subcommand per task, `--help` on each. */
const program = new Command()
  .name('synesthete')
  .description('Sound-pictures: spectrogram images that look like a picture and play as music (Riffusion-compatible).')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerCommands(program);

await program.parseAsync(process.argv);
