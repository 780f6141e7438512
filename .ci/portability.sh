#!/usr/bin/env bash
# The crate must build for Linux, macOS and Windows, whose standard libraries cannot be
# installed here: prove instead that every target's dependency graph holds what the code
# uses. Each target must have the same direct dependencies as Linux, less only those
# declared for Linux alone, and those may be used only in code compiled for Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
deps() {
  cargo tree -p "$1" -e normal --target "$2" --prefix none --depth 1 --offline 2>/dev/null \
    | sed 1d | awk '{print $1}' | sort -u
}
status=0
for pkg in hf-fidelity hf-fidelity-python; do
  linux=$(deps "$pkg" x86_64-unknown-linux-gnu)
  for target in x86_64-pc-windows-msvc aarch64-apple-darwin x86_64-apple-darwin; do
    other=$(deps "$pkg" "$target")
    only_linux=$(comm -23 <(echo "$linux") <(echo "$other"))
    extra=$(comm -13 <(echo "$linux") <(echo "$other"))
    for crate in $only_linux; do
      ident=${crate//-/_}
      # Every file that names the crate must keep it behind a Linux-only cfg.
      for file in $(grep -rlw "$ident" src bindings/python/src 2>/dev/null || true); do
        if ! grep -q 'cfg(target_os = "linux")' "$file"; then
          echo "$pkg on $target: $file uses \`$crate\`, which is a dependency on Linux only" >&2
          status=1
        fi
      done
    done
    echo "$pkg on $target: $(echo "$other" | wc -l) direct dependencies; Linux only: ${only_linux:-none}; $target only: ${extra:-none}"
  done
done
exit $status
