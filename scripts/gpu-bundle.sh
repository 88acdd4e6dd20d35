#!/usr/bin/env bash
# `npm run bench:gpu:pack`: everything `bench:gpu` needs on a lent GPU machine that has no network
# and maybe no Node, packed into .gpu-bundle/ (git-ignored, about 40 MB; the device call carries at
# most 64 MiB with the working tree): Node itself (xz), the compiled project with its production
# node_modules for linux/x64 only (onnxruntime-node's other platforms left out), and the Vulkan
# loader as Debian packages. scripts/gpu-bench.sh unpacks and runs it there (docs/gpu.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=.gpu-bundle
mkdir -p "$bundle"
rm -rf "$bundle/gl" "$bundle/runtime.tar.xz"
mkdir -p "$bundle/gl"
npm run build >/dev/null

# Node compresses slowly (about a minute): kept while the version is the same
if [ "$(cat "$bundle/node.version" 2>/dev/null)" != "$(node --version)" ]; then
  echo "gpu-bundle: compressing node $(node --version) ($(command -v node))" >&2
  xz -T1 -6 -c "$(readlink -f "$(command -v node)")" >"$bundle/node.xz"
  node --version >"$bundle/node.version"
fi

mapfile -t modules < <(npm ls --omit=dev --all --parseable 2>/dev/null | sed "s#^$PWD/##" | grep '^node_modules/' | sort -u)
tar -cf - --exclude='node_modules/onnxruntime-node/bin/napi-v6/darwin' --exclude='node_modules/onnxruntime-node/bin/napi-v6/win32' \
  --exclude='node_modules/onnxruntime-node/bin/napi-v6/linux/arm64' --exclude='*.map' --exclude='*.d.ts' \
  dist package.json "${modules[@]}" | xz -T1 -6 >"$bundle/runtime.tar.xz"

# The Vulkan loader for Dawn (the device documentation's recipe, amd64, kept outside apt's own state)
lists=$(mktemp -d)
trap 'rm -rf "$lists"' EXIT
mkdir -p "$lists/partial"
opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists="$lists" -oDebug::NoLocking=1 -oAPT::Sandbox::User=root -qq)
apt-get "${opts[@]}" update
(cd "$bundle/gl" && apt-get "${opts[@]}" download libvulkan1)

du -sh "$bundle"/* >&2
size=$(du -sm "$bundle" | cut -f1)
tree=$(git ls-files -z | xargs -0 du -cm 2>/dev/null | tail -1 | cut -f1)
echo "gpu-bundle: ${size} MB bundle + ${tree} MB working tree (the device call carries at most 64 MiB)" >&2
echo 'device run: command "bash scripts/gpu-bench.sh", carry [".gpu-bundle"], timeout_s 300' >&2
