/**
 * The WebGPU tests run onnxruntime's WebGPU provider (Dawn over Vulkan) on whatever Vulkan driver
 * the machine has; without a GPU that is Mesa's lavapipe from `scripts/lavapipe.sh`
 * (.cache/lavapipe, used when VK_ICD_FILENAMES is not set). No driver Dawn accepts: the tests fail
 * with this hint, unless SYNESTHETE_NO_GPU_TESTS=1 says to skip them.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const GPU_INSTALL_HINT =
  'the WebGPU tests need a Vulkan driver that Dawn accepts: run `npm run gpu:lavapipe` (Mesa 25 lavapipe from bookworm-backports ' +
  'into .cache/lavapipe; Debian 12\'s own lavapipe 22.3 is refused) or use a machine with a GPU ' +
  '(or set SYNESTHETE_NO_GPU_TESTS=1 to skip them deliberately)';

/** True when the WebGPU tests were switched off explicitly (the only way to skip them). */
export function gpuTestsDisabled(): boolean {
  return process.env.SYNESTHETE_NO_GPU_TESTS === '1';
}

/** Points the Vulkan loader at the unpacked lavapipe unless the environment names a driver. Call before any WebGPU session. */
export function useLavapipeIfPresent(): string | undefined {
  const icd = fileURLToPath(new URL('../../.cache/lavapipe/lvp_icd.json', import.meta.url));
  // Dawn's Vulkan loader complains on stderr without a runtime dir (harmless, but noisy)
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  if (process.env.VK_ICD_FILENAMES || !existsSync(icd)) return process.env.VK_ICD_FILENAMES;
  process.env.VK_ICD_FILENAMES = icd;
  return icd;
}
