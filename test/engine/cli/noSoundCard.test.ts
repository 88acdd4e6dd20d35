import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';

/** `perform` on a machine whose ALSA has no card and no plugin (an ALSA configuration that says so, on any machine). */
function performWithAlsaConfig(config: string) {
  const file = join(tempDir(), 'asound.conf');
  writeFileSync(file, config);
  const env: NodeJS.ProcessEnv = { ...process.env, ALSA_CONFIG_PATH: file };
  delete env.PULSE_SERVER;
  return spawnSync(process.execPath, [CLI, 'perform', '--duration', '1'], { encoding: 'utf8', env });
}

describe('perform with no sound card', () => {
  it('prints one clear line suggesting --wav, and none of ALSA\'s or JACK\'s noise', () => {
    const r = performWithAlsaConfig('pcm.!default { type hw card 9 }\n');
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/ALSA lib|jack|Jack/);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('synesthete: no audio output to play on: PortAudio found no audio devices at all '
      + '(no sound card, or no ALSA plugin such as pulse/pipewire); to play into a file instead, use --wav FILE');
    // the lines saying which source plays and where the page and OSC listen, then this one
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.slice(0, -1).every((l) => /playing the imprint source|OSC on 127\.0\.0\.1|web page on http:\/\/127\.0\.0\.1/.test(l)), r.stderr).toBe(true);
  });

  it('reports a PortAudio crash on a broken ALSA configuration as one line instead of aborting', () => {
    const r = performWithAlsaConfig('');
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toMatch(/^synesthete: PortAudio crashed while listing audio devices \(.*\); check the ALSA configuration, or play into a file with --wav FILE$/);
  });
});
