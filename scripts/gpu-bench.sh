#!/usr/bin/env bash
# `bench:gpu` on a lent GPU machine (no network, maybe no Node): unpacks what scripts/gpu-bundle.sh
# packed into .gpu-bundle/, finds the Vulkan loader and NVIDIA's Vulkan driver, then runs
# test/bench/gpuBench.ts; by default it makes the fp16 full-size SD 1.5 folder first. Extra
# arguments go to the bench (--tiny, --model DIR, --steps N, --repeats N). Results land in $OUT
# (gpu-bench.json with the provider of every node, gpu-bench.log). See docs/gpu.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=.gpu-bundle
out=${OUT:-$PWD/.bench-out}
mkdir -p "$out"
started=$(date +%s)

# Dawn loads libvulkan.so.1 at run time; bring the loader when the machine has none.
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  for f in "$bundle"/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
# NVIDIA's Vulkan driver lives outside the loader's search path on the lent machines.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES="$nvidia_icd"; fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

node=$(command -v node || true)
if [ "${SYNESTHETE_BUNDLED_NODE:-}" = 1 ] || [ -z "$node" ] || ! "$node" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  xz -dc "$bundle/node.xz" >/tmp/synesthete-node
  chmod +x /tmp/synesthete-node
  node=/tmp/synesthete-node
fi
if [ ! -f dist/test/bench/gpuBench.js ] || [ ! -d node_modules/onnxruntime-node ]; then tar -xJf "$bundle/runtime.tar.xz"; fi

{
  echo "machine: $(nproc) cores, node $("$node" --version), vulkan driver: ${VK_ICD_FILENAMES:-${VK_DRIVER_FILES:-system}}"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  echo "setup: $(($(date +%s) - started)) s"
} | tee "$out/gpu-bench.log"
"$node" dist/test/bench/gpuBench.js --json "$out/gpu-bench.json" "$@" 2>&1 | grep -v -e 'artificially reduced' | tee -a "$out/gpu-bench.log"
echo "total: $(($(date +%s) - started)) s" | tee -a "$out/gpu-bench.log"
