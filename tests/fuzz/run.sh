#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seed corpus (read-only) with its dictionary:
#   run.sh TARGET SEED_DIR SECONDS [more libFuzzer arguments: flags, or a corpus dir first]
# New inputs go to a scratch corpus that is removed afterwards (or to a corpus dir given first);
# a crash leaves its input in $ONQUOTA_FUZZ_ARTIFACTS (default: the current directory).
# Exits non-zero on a crash, leak, timeout or out-of-memory.
set -euo pipefail
target="$1" seeds="$2" seconds="$3"
shift 3
name="$(basename "$target")"
work="$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
artifacts="${ONQUOTA_FUZZ_ARTIFACTS:-$PWD}"
mkdir -p "$artifacts"
dict=()
[[ -f "$seeds/$name.dict" ]] && dict=("-dict=$seeds/$name.dict")
corpus=()
[[ -d "$seeds/corpus" ]] && corpus=("$seeds/corpus")
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name-" "${dict[@]}" "$@" "$work" "${corpus[@]}"
