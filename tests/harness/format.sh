#!/usr/bin/env bash
# The project's C++ files (every .cpp and .hpp git knows of, tracked or new and not
# ignored) against the style in .clang-format, with the pinned clang-format-14.
#
#   format.sh check   report the files that are not formatted; fails if any (suite format-check)
#   format.sh fix     format them in place (make format)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
formatter=${CLANG_FORMAT:-clang-format-14}
mode=${1:-check}

if ! command -v "$formatter" >/dev/null; then
  echo "format: $formatter is not installed (make deps installs it)" >&2
  exit 1
fi
if [ ! -f "$root/.clang-format" ] && [ ! -f "$root/_clang-format" ]; then
  echo "format: $root/.clang-format is missing, so there is no style to check against" >&2
  echo "format: (clang-format would silently fall back to its LLVM style)" >&2
  exit 1
fi

cd "$root" || exit 1
files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Files deleted in the work tree but still in the index are left out.
  while IFS= read -r file; do
    [ -f "$file" ] && files+=("$file")
  done < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' | sort -u)
else
  mapfile -t files < <(find bench client core extension tests -name '*.cpp' -o -name '*.hpp' 2>/dev/null | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "format: no C++ files found" >&2
  exit 1
fi

case "$mode" in
  fix)
    "$formatter" -i "${files[@]}" || exit 1
    echo "format: formatted ${#files[@]} files with $formatter"
    ;;
  check)
    output=$("$formatter" --dry-run --Werror "${files[@]}" 2>&1)
    status=$?
    if [ $status -eq 0 ]; then
      echo "format: ${#files[@]} files formatted as .clang-format says ($formatter)"
      exit 0
    fi
    offenders=$(grep -oE '^[^:]+\.(cpp|hpp):[0-9]+:[0-9]+: (error|warning)' <<<"$output" | cut -d: -f1 | sort -u)
    if [ -z "$offenders" ]; then
      echo "$output" | head -40 >&2
    else
      echo "format: $(wc -l <<<"$offenders") of ${#files[@]} files differ from .clang-format's style ('make format' fixes them):" >&2
      sed 's/^/  /' <<<"$offenders" | head -100 >&2
      echo "format: the first differences:" >&2
      head -30 <<<"$output" >&2
    fi
    exit 1
    ;;
  *)
    echo "usage: $0 check|fix" >&2
    exit 2
    ;;
esac
