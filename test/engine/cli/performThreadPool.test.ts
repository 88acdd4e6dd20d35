import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { waitUntil } from '../../helpers/oscTools.js';

describe('the synesthete command', () => {
  // Audio output and input each hold a libuv pool thread for the whole show; with the default 4,
  // fs, zlib and dns would queue behind them (and a lost device takes one for good). Node's ES
  // module loader starts the pool before any module's code runs, so only the CommonJS launcher
  // can size it: this fails if the setting moves back into an ES module.
  // counted in /proc: Linux only (CI's machine); the launcher itself works wherever Node does
  it.skipIf(process.platform !== 'linux')('starts with a libuv thread pool of 16 threads, not 4', async () => {
    const env = { ...process.env };
    delete env.UV_THREADPOOL_SIZE;
    const child = spawn(process.execPath, [CLI, 'perform', '--wav', join(tempDir(), 'x.wav'), '--realtime', '--duration', '3', '--headless', '--no-web', '--no-osc'],
      { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitUntil(() => /segment 1:/.test(stderr), 'the first segment', 60_000);
    // the pool's threads, the main thread, V8's platform threads, the audio thread, the renders
    const threads = readdirSync(`/proc/${child.pid}/task`).length;
    expect(threads, 'threads of the show process').toBeGreaterThanOrEqual(16 + 4);
    expect(await exited, stderr).toBe(0);
  }, 90_000);
});
