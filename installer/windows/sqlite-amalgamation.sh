#!/usr/bin/env bash
# Makes SQLite's single-file "amalgamation" (sqlite3.c + sqlite3.h) for the Windows build.
#
#   installer/windows/sqlite-amalgamation.sh OUTPUT_DIR
#
# Debian has no mingw SQLite and libsqlite3-dev ships no C source, so this takes Debian's own
# sqlite3 source package (the version and security patches the Linux build links against) with
# `apt-get source`, and runs its `make sqlite3.c`. apt is pointed at a private copy of this
# machine's Debian archive entries, switched to deb-src: the system's apt setup is not touched.
# Needs: apt, dpkg-dev, tcl, a host C compiler, xz-utils. Does nothing when OUTPUT_DIR already
# holds the files.
set -euo pipefail

output=${1:?usage: sqlite-amalgamation.sh OUTPUT_DIR}
if [[ -f $output/sqlite3.c && -f $output/sqlite3.h ]]; then exit 0; fi
mkdir -p "$output"
work=$(mktemp -d "${TMPDIR:-/tmp}/cti-sqlite-XXXXXX")
trap 'rm -rf "$work"' EXIT

# deb-src twins of the machine's Debian archive entries (deb822 and one-line formats). Only the
# Debian archive itself: other repositories configured here may publish no sources.
debian_archive='/debian(-security)?/?$'
mkdir -p "$work/parts" "$work/lists/partial"
for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f $file ]] || continue
    awk -v RS= -v ORS='\n\n' -v archive="$debian_archive" '
        { split($0, lines, "\n"); keep = 0
          for (i in lines) if (lines[i] ~ /^URIs:/) { n = split(lines[i], uris, /[ \t]+/)
                                                      for (j = 2; j <= n; j++) if (uris[j] ~ archive) keep = 1 } }
        keep { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$file" >"$work/parts/$(basename "$file")"
done
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    awk -v archive="$debian_archive" '
        $1 == "deb" { uri = ($2 ~ /^\[/) ? "" : $2
                      for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { uri = $i; break }
                      if (uri ~ archive) { $1 = "deb-src"; print } }' "$file" >>"$work/parts/debian.list"
done

apt_private=(-o "Dir::Etc::SourceList=$work/parts/debian.list" -o "Dir::Etc::SourceParts=$work/parts"
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::srcpkgcache=" -o "Dir::Cache::pkgcache="
             -o "APT::Sandbox::User=root")
apt-get "${apt_private[@]}" -qq update
(cd "$work" && apt-get "${apt_private[@]}" -qq source sqlite3 >/dev/null)

source_dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)
[[ -n $source_dir ]] || { echo "sqlite-amalgamation.sh: apt-get source sqlite3 gave no source tree" >&2; exit 1; }
(cd "$source_dir" && ./configure --disable-tcl >/dev/null && make sqlite3.c >/dev/null)
cp "$source_dir/sqlite3.c" "$source_dir/sqlite3.h" "$output/"
echo "SQLite amalgamation $(cat "$source_dir/VERSION") in $output"
