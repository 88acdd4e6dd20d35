import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two tiers, both run by `npm test` and CI, each runnable alone:
 * - unit (`npm run test:unit`): in-process tests, fast;
 * - e2e (`npm run test:e2e`): tests that spawn processes (the CLI, PulseAudio, ffmpeg, the golden
 *   runner), which need `dist/` built and dominate the run time.
 * A new test file that spawns a process belongs in this list.
 */
const E2E = [
  'test/engine/cli/{audioToImage,generate,hostileFiles,imageToAudio,loop,noSoundCard,score,session,tokenize}.test.ts',
  'test/engine/cli/{perform,rehearse,render}*.test.ts',
  'test/engine/audio/portAudioSink.test.ts',
  'test/engine/audio/listenPulse.test.ts',
  'test/visuals/listenPass.test.ts',
  'test/engine/diffusion/golden.test.ts',
  'test/visuals/*.test.ts',
  'test/visuals/shell/{launchShell,openBrowser}.test.ts',
  'test/control/page/controlPage*.test.ts',
  'test/control/controlFlood.test.ts',
  'test/control/ableton/startAbleton.test.ts',
];

// Test processes (forked from this one, so they inherit it) size libuv's thread pool like the
// synesthete command does (engine/cli/synesthete.cts): shows run in them with real audio streams.
process.env.UV_THREADPOOL_SIZE ??= '16';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Griffin-Lim tests spawn worker threads of their own; keep vitest from oversubscribing 2 cores.
    fileParallelism: false,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...E2E] } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
