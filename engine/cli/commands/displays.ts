import { Command } from 'commander';
import { displayTable } from '../../../visuals/shell/chooseDisplay.js';
import { ELECTRON_INSTALL, electronBinary, listDisplays } from '../../../visuals/shell/launchShell.js';
import { UserError } from '../../errors.js';
import { runAction } from '../runAction.js';
import { hasDesktop } from '../visualsOptions.js';

/** `displays`: the screens a projector window can go to, numbered as `perform --projector N` takes them. */
export function displaysCommand(): Command {
  return new Command('displays')
    .summary('list the displays the projector window can go to (needs Electron)')
    .description('List the displays (number, name, size and position, scale, primary) as `perform --projector DISPLAY` '
      + 'takes them: by number or by part of the name. Needs Electron and a desktop session. See docs/visuals.md.')
    .option('--json', 'print them as JSON (id, label, bounds, scaleFactor, primary)')
    .addHelpText('after', '\nExamples:\n  $ synesthete displays\n  $ synesthete perform --projector 2\n  $ synesthete perform --projector benq\n')
    .action(runAction(async (opts: { json?: boolean }) => {
      const electron = electronBinary();
      if (electron === undefined) {
        throw new UserError(`displays are listed through Electron, which is not installed: ${ELECTRON_INSTALL}; \`perform --visuals browser\` works without it`);
      }
      if (!hasDesktop(process.platform, process.env)) {
        throw new UserError('no desktop to list displays on ($DISPLAY and $WAYLAND_DISPLAY are unset): run it in the machine\'s desktop session');
      }
      let displays;
      try {
        displays = await listDisplays(electron);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(displays, null, 2)}\n` : `${displayTable(displays).join('\n')}\n`);
    }));
}
