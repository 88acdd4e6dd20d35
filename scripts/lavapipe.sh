#!/usr/bin/env bash
# Mesa's lavapipe (Vulkan on the CPU) that Dawn, onnxruntime's WebGPU, accepts, unpacked into
# .cache/lavapipe/ without installing anything system-wide: Debian 12's own lavapipe (Mesa 22.3)
# lacks shaderUniform*ArrayDynamicIndexing and Dawn refuses it; bookworm-backports has Mesa 25.
# Needs apt-get (Debian 12 or a derivative), the Vulkan loader (libvulkan1) and Mesa's runtime
# libraries (libllvm15...; `apt-get install mesa-vulkan-drivers` brings them). Prints the ICD file
# to put in VK_ICD_FILENAMES (the tests and bench:gpu find it there by themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$PWD/.cache/lavapipe"
icd="$dest/lvp_icd.json"
if [ -f "$icd" ]; then echo "$icd"; exit 0; fi
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$dest"
echo "deb http://deb.debian.org/debian bookworm-backports main" >"$state/sources.list"
opts=(-oDir::Etc::SourceList="$state/sources.list" -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$state/lists"
  -oDebug::NoLocking=1 -oAPT::Sandbox::User=root -qq)
apt-get "${opts[@]}" update
(cd "$state" && apt-get "${opts[@]}" download mesa-vulkan-drivers)
dpkg -x "$state"/mesa-vulkan-drivers_*.deb "$dest/root"
lib=$(find "$dest/root" -name libvulkan_lvp.so | head -1)
[ -n "$lib" ] || { echo "lavapipe.sh: no libvulkan_lvp.so in the package" >&2; exit 1; }
printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.4.305"}}\n' "$lib" >"$icd"
echo "$icd"
