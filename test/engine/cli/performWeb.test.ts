import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, synesthete } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { waitUntil } from '../../helpers/oscTools.js';
import { WsClient, freeTcpPort } from '../../helpers/webShow.js';

/** A real-time show in a child process; resolves its stderr and exit code when it ends. */
function performInBackground(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'perform', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const out = { stderr: '' };
  child.stderr.on('data', (d: Buffer) => { out.stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, out, exited };
}

describe('synesthete perform: the web port', () => {
  it('documents its flags in --help', () => {
    const help = synesthete('perform', '--help').stdout;
    for (const flag of ['--web-port <n>', '--no-web', '--token <token>', '--view-token <token>']) expect(help).toContain(flag);
    expect(help).toContain('http://127.0.0.1:8420/');
  });

  it.each([
    [['--web-port', '0x'], '--web-port "0x": expected a TCP port from 1 to 65535'],
    [['--token', 'short'], '--token: expected 8 to 128 letters, digits or . _ ~ - (it goes in URLs)'],
    [['--token', 'same-token', '--view-token', 'same-token'], '--view-token must differ from --token'],
  ])('refuses %j in one line before playing', (flags, message) => {
    const run = synesthete('perform', '--wav', join(tempDir(), 'x.wav'), '--realtime', '--duration', '1', ...flags);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });

  it('is steered over the WebSocket while it plays; the summary lists the commands with surface web and when they were heard', async () => {
    const dir = tempDir();
    const port = await freeTcpPort();
    const summaryFile = join(dir, 'summary.json');
    const show = performInBackground(['--wav', join(dir, 'live.wav'), '--realtime', '--duration', '6', '--no-osc', '--web-port', String(port), '--summary', summaryFile]);
    await waitUntil(() => /segment 1:/.test(show.out.stderr), 'the first segment', 60_000);
    expect(show.out.stderr).toContain(`synesthete: web page on http://127.0.0.1:${port}/ (projector: http://127.0.0.1:${port}/output)`);
    const client = await WsClient.connect(`ws://127.0.0.1:${port}/ws`);
    client.send({ type: 'command', id: 1, command: { type: 'gain', value: 0.5 } });
    client.send({ type: 'command', id: 2, command: { type: 'imprint', text: 'WEB' } });
    expect(await client.next('ack', (m) => m.id === 1)).toMatchObject({ ok: true });
    expect(await client.next('ack', (m) => m.id === 2)).toMatchObject({ ok: true });
    await client.next('state', (m) => m.state.instant.gain === 0.5);
    expect(await show.exited, show.out.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.events.map((e: { type: string; surface: string }) => `${e.surface} ${e.type}`)).toEqual(['web gain', 'web imprint']);
    for (const e of summary.events) expect(e.audibleAt).toEqual(expect.any(Number));
  }, 90_000);

  it('bound beyond this machine it generates a token, prints the URL with it, and refuses requests without it', async () => {
    const dir = tempDir();
    const port = await freeTcpPort();
    const show = performInBackground(['--wav', join(dir, 'live.wav'), '--realtime', '--duration', '4', '--no-osc', '--bind', '0.0.0.0', '--web-port', String(port)]);
    await waitUntil(() => /segment 1:/.test(show.out.stderr), 'the first segment', 60_000);
    const token = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=([A-Za-z0-9_-]+)`).exec(show.out.stderr)?.[1];
    expect(token, show.out.stderr).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/osc`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/?token=${token}`)).status).toBe(200);
    const osc = await (await fetch(`http://127.0.0.1:${port}/osc?token=${token}`)).json() as { addresses: Record<string, unknown> };
    expect(Object.keys(osc.addresses)).toContain('/synesthete/gain');
    expect(await show.exited, show.out.stderr).toBe(0);
  }, 90_000);
});
