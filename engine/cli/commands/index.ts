import type { Command } from 'commander';
import { audioToImageCommand } from './audioToImage.js';
import { displaysCommand } from './displays.js';
import { imageToAudioCommand } from './imageToAudio.js';
import { scoreCommand } from './score.js';
import { loopCommand } from './loop.js';
import { midiCommand } from './midi.js';
import { modelsCommand } from './models.js';
import { generateCommand } from './generate.js';
import { performCommand } from './perform.js';
import { rehearseCommand, renderCommand } from './rehearse.js';
import { tokenizeCommand } from './tokenize.js';

/** Every subcommand registers itself here; one file per command in this folder. */
export function registerCommands(program: Command): void {
  program.addCommand(audioToImageCommand());
  program.addCommand(imageToAudioCommand());
  program.addCommand(scoreCommand());
  program.addCommand(loopCommand());
  program.addCommand(midiCommand());
  program.addCommand(modelsCommand());
  program.addCommand(generateCommand());
  program.addCommand(performCommand());
  program.addCommand(rehearseCommand());
  program.addCommand(renderCommand());
  program.addCommand(tokenizeCommand());
  program.addCommand(displaysCommand());
}
