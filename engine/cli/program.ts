import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

// started by synesthete.cjs, which sizes libuv's thread pool first

/** The `synesthete` command line: one program, a subcommand per task, `--help` on each. */
const program = new Command()
  .name('synesthete')
  .description('Sound-pictures: spectrogram images that look like a picture and play as music (Riffusion-compatible).')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerCommands(program);

await program.parseAsync(process.argv);
