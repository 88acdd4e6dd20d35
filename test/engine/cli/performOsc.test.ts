import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, synesthete } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { OscDump, freeUdpPort, oscsend, waitUntil } from '../../helpers/oscTools.js';

describe('synesthete perform: the OSC surface', () => {
  it('documents its OSC flags in --help', () => {
    const help = synesthete('perform', '--help').stdout;
    for (const flag of ['--osc-port <n>', '--no-osc', '--bind <addr>', '--osc-allow <addr,...>', '--osc-feedback <host:port,...>']) expect(help).toContain(flag);
    expect(help).toContain('oscsend 127.0.0.1 9000 /synesthete/gain f 0.5');
  });

  it.each([
    [['--osc-port', '70000'], '--osc-port "70000": expected a UDP port from 1 to 65535'],
    [['--bind', 'everywhere'], '--bind "everywhere": expected an IP address such as 127.0.0.1 or 0.0.0.0'],
    [['--osc-allow', 'my-phone'], '--osc-allow "my-phone": expected IP addresses separated by commas'],
    [['--osc-feedback', '127.0.0.1'], '--osc-feedback "127.0.0.1": expected HOST:PORT, e.g. 127.0.0.1:9001'],
  ])('refuses %j in one line before playing', (flags, message) => {
    const dir = tempDir();
    const run = synesthete('perform', '--wav', join(dir, 'x.wav'), '--realtime', '--duration', '1', ...flags);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('is steered by oscsend while it plays; feedback reaches oscdump; the summary lists the commands with surface osc', async () => {
    const dir = tempDir();
    const port = await freeUdpPort();
    const dump = await OscDump.start();
    const summaryFile = join(dir, 'summary.json');
    // the OSC surface must not disturb the sound: 0 underruns, with a performer's margin on a loaded CI machine (--buffer 500)
    const child = spawn(process.execPath, [CLI, 'perform', '--wav', join(dir, 'live.wav'), '--realtime', '--buffer', '500', '--duration', '6',
      '--osc-port', String(port), '--osc-feedback', `127.0.0.1:${dump.port}`, '--summary', summaryFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitUntil(() => /segment 1:/.test(stderr), 'the first segment', 60_000);
      expect(stderr).toContain(`synesthete: OSC on 127.0.0.1:${port} (docs/control.md)`);
      await oscsend(port, '/synesthete/gain', 'f', 0.5);
      await oscsend(port, '/synesthete/imprint/text', 's', 'OSC');
      await oscsend(port, '/synesthete/freeze', 'i', 1);
      await dump.waitFor('/synesthete/gain', '0.500000');
      await dump.waitFor('/synesthete/freeze', '1');
      await dump.waitFor('/synesthete/imprint/text', '"OSC"');
    } finally {
      dump.stop();
    }
    expect(await exited, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.events.map((e: { type: string; surface: string }) => `${e.surface} ${e.type}`)).toEqual(['osc gain', 'osc imprint', 'osc freeze']);
    expect(summary.underruns, stderr).toBe(0);
  }, 90_000);
});
