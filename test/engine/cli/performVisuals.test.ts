import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, synesthete } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { freeTcpPort } from '../../helpers/webShow.js';
import { fakeElectron } from '../../helpers/fakeElectron.js';

/** One line on stderr, exit code 1: how the CLI refuses. */
function refused(args: string[], message: string | RegExp): void {
  const run = synesthete(...args);
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^synesthete: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
}

describe('the projector flags of perform and rehearse, and `synesthete displays`', () => {
  beforeAll(() => {
    // the same on every machine: as if the Electron binary had not been downloaded (CI's case)
    process.env.SYNESTHETE_ELECTRON = join(tempDir(), 'no-electron-here');
  });

  it('--projector without Electron: one line saying how to get it, and that --visuals browser works without', () => {
    refused(['perform', '--projector', '--duration', '1'], /^synesthete: --projector needs Electron, which is not installed: npm install electron@41\.7\.1 .*; or use --visuals browser$/);
    refused(['perform', '--projector', '2', '--duration', '1'], '--projector needs Electron');
    refused(['perform', '--visuals', 'projector', '--duration', '1'], '--visuals projector needs Electron');
    refused(['rehearse', 'sessions/none', '--projector'], '--projector needs Electron');
  });

  it('--projector or --visuals with --headless, two outputs, or an offline file: refused before anything plays or is written', () => {
    const dir = tempDir();
    refused(['perform', '--projector', '--headless', '--duration', '1'], '--projector and --headless cannot be combined: --headless keeps no window');
    refused(['perform', '--visuals', 'browser', '--headless', '--duration', '1'], '--visuals browser and --headless cannot be combined');
    refused(['perform', '--projector', '--visuals', 'browser', '--duration', '1'], '--projector and --visuals browser cannot be combined: choose one');
    refused(['perform', '--visuals', 'browser', '--wav', join(dir, 'x.wav'), '--duration', '1'], '--visuals browser shows the show as it plays: it needs a sound card or --wav --realtime');
    refused(['rehearse', 'sessions/none', '--visuals', 'browser', '--wav', join(dir, 'y.wav')], '--visuals browser shows the show as it plays');
    refused(['perform', '--projector', '--no-web', '--duration', '1'], "--projector shows the web port's /output page: it cannot be combined with --no-web");
    refused(['perform', '--visuals', 'sideways'], /^error: option '--visuals <where>' argument 'sideways' is invalid\. Allowed choices are projector, browser, none\.$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('`displays` without Electron: one line saying how to get it', () => {
    refused(['displays'], /^synesthete: displays are listed through Electron, which is not installed: npm install electron@41\.7\.1 .*`perform --visuals browser` works without it$/);
  });

  it('documents the flags in --help', () => {
    const perform = synesthete('perform', '--help').stdout.replace(/\s+/g, ' ');
    expect(perform).toMatch(/--projector \[display\] show the output full-screen in an Electron window/);
    expect(perform).toMatch(/--visuals <where> where the projector output goes: projector \(Electron\), browser \(the system browser\), none/);
    expect(perform).toMatch(/--headless no window at all/);
    expect(perform).not.toMatch(/not built yet/);
    const rehearse = synesthete('rehearse', '--help').stdout.replace(/\s+/g, ' ');
    expect(rehearse).toMatch(/--projector \[display\]/);
    expect(synesthete('displays', '--help').stdout.replace(/\s+/g, ' ')).toMatch(/perform --projector DISPLAY/);
    expect(synesthete('--help').stdout).toMatch(/displays \[options\]\s+list the displays the projector window can go to/);
  });

  it('--visuals browser opens the projector page, token and all, in the system browser while the show plays; without a desktop it prints the URL', async () => {
    const dir = tempDir();
    // an xdg-open of our own stands in for the desktop's: like a browser it loads the page it is given
    const record = join(dir, 'opened.txt');
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\n"${process.execPath}" -e 'fetch(process.argv[1]).then(async (r) => require("fs").writeFileSync(process.argv[2], process.argv[1] + " " + r.status + " " + (await r.text()).length))' "$1" '${record}'\n`);
    chmodSync(join(dir, 'xdg-open'), 0o755);
    const port = await freeTcpPort();
    const args = [CLI, 'perform', '--visuals', 'browser', '--wav', join(dir, 'a.wav'), '--realtime', '--duration', '5', '--no-osc'];
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}:${process.env.PATH}`, DISPLAY: ':77' };
    const run = spawnSync(process.execPath, [...args, '--web-port', String(port), '--bind', '0.0.0.0'], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    const url = new RegExp(`projector output opened in the browser: (http://127\\.0\\.0\\.1:${port}/output\\?token=[A-Za-z0-9_-]+)`).exec(run.stderr)?.[1];
    expect(url, run.stderr).toBeDefined();
    expect(existsSync(record)).toBe(true);
    const [opened, status, bytes] = readFileSync(record, 'utf8').split(' ');
    expect(opened).toBe(url);
    expect(status).toBe('200');
    expect(Number(bytes)).toBeGreaterThan(100);

    const { DISPLAY: _x, WAYLAND_DISPLAY: _w, ...headless } = env;
    const port2 = await freeTcpPort();
    const run2 = spawnSync(process.execPath, [...args, '--web-port', String(port2)], { encoding: 'utf8', env: headless });
    expect(run2.status, run2.stderr).toBe(0);
    expect(run2.stderr).toContain(`synesthete: projector output: open http://127.0.0.1:${port2}/output in a browser (no desktop to open a browser on)`);
  }, 120_000);

  it('--projector opens the shell on the show\'s /output page with its token, reports where it went, and closes it when the show ends', async () => {
    // a stand-in for the Electron binary (CI has none; npm run test:electron drives the real one)
    const fake = fakeElectron();
    const dir = tempDir();
    const port = await freeTcpPort();
    const env: NodeJS.ProcessEnv = { ...process.env, SYNESTHETE_ELECTRON: fake.path, DISPLAY: ':77' };
    const run = spawnSync(process.execPath, [CLI, 'perform', '--projector', 'fake', '--wav', join(dir, 'a.wav'), '--realtime', '--duration', '4',
      '--no-osc', '--web-port', String(port), '--token', 'projector-test'], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('synesthete: projector on display 2 "Fake projector", full-screen (Escape leaves full-screen, F11 returns, Ctrl+Q closes)');
    const log = readFileSync(fake.log, 'utf8').trim().split('\n');
    expect(log).toEqual([`config {"mode":"projector","url":"http://127.0.0.1:${port}/output?token=projector-test","display":"fake"}`, 'loaded 200', 'terminated']);

    // with the stand-in, `displays` lists what the shell reports, and a machine without a desktop is refused
    const listed = spawnSync(process.execPath, [CLI, 'displays'], { encoding: 'utf8', env });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(' 1  Built-in                 1440x900 at 0,0  scale 2  primary\n 2  Fake projector           1920x1080 at 1440,0  scale 1\n');
    const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ...noDesktop } = env;
    const refusedRun = spawnSync(process.execPath, [CLI, 'perform', '--projector', '--duration', '1'], { encoding: 'utf8', env: noDesktop });
    expect(refusedRun.status).toBe(1);
    expect(refusedRun.stderr.trim().split('\n')).toEqual(['synesthete: --projector: no desktop to show a window on ($DISPLAY and $WAYLAND_DISPLAY are unset): run it in the machine\'s desktop session, or use --headless']);
  }, 120_000);
});
