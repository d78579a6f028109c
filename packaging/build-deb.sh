#!/usr/bin/env bash
# Builds the Debian package receptiond_<version>_<arch>.deb from this checkout.
#
#   packaging/build-deb.sh [--no-build] [--out DIR]
#
# As root or not. Standard output is the .deb's path and nothing else (progress goes to standard
# error), so `deb="$(packaging/build-deb.sh)"` works.
#
# A release build (`swift build -c release`), staged into a tree and packed with `dpkg-deb`
# (no debhelper: the tree below is the whole package):
#
#   /usr/bin/receptiond, /usr/bin/receptionctl
#   /usr/lib/receptiond/plugins/libreceptiond-<name>.so   every department plugin except `example`
#   /usr/lib/receptiond/lib*.so        the Swift runtime libraries the binaries and plugins need,
#                                      copied from the toolchain (exactly those `ldd` lists); every
#                                      ELF file's RUNPATH is set to /usr/lib/receptiond, so nothing
#                                      else must be installed or copied by hand
#   /lib/systemd/system/receptiond.{service,socket}, /usr/lib/sysusers.d, /usr/lib/tmpfiles.d
#   /etc/receptiond/receptiond.conf    conffile, from systemd/receptiond.conf.example
#   bash, zsh and fish completions     printed by `receptionctl completion SHELL`
#   receptiond(8), receptionctl(1)     swift-argument-parser's generate-manual, run on the built
#                                      binaries: the same declarations `--help` prints
#   receptiond.conf(5)                 packaging/receptiond.conf.5.sh, from the README's config table
#
# The example plugin is left out: the daemon loads every plugin in its plugin directory, and a
# property server has no use for a notes demo department. reception-bench (a load generator for
# developers) is left out too.
#
# Needs: the Swift toolchain, dpkg-deb, patchelf, gzip (Debian: apt-get install patchelf).
# SOURCE_DATE_EPOCH, when set, dates the man pages and the changelog (default: the last commit).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

build=yes
out="$root/.build/deb"
while (($#)); do
    case "$1" in
        --no-build) build=no ;;
        --out) out="$2"; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-deb: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "build-deb: $*" >&2; exit 1; }
for tool in swift dpkg-deb patchelf gzip readelf; do
    command -v "$tool" >/dev/null || fail "$tool not found (Debian: apt-get install patchelf dpkg binutils)"
done

# The one place the version is written.
version="$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/ReceptionProtocol/ReceptionVersion.swift)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "cannot read the version from ReceptionVersion.swift (got '$version')"
arch="$(dpkg --print-architecture)"
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH
day="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"

# The toolchain's runtime libraries: where `swift` lives, ../lib/swift/linux.
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
runtime_dir="${SWIFT_RUNTIME_DIR:-$(readlink -f "$swift_bin/../lib/swift/linux")}"
[[ -f "$runtime_dir/libswiftCore.so" ]] || fail "no libswiftCore.so in $runtime_dir (set SWIFT_RUNTIME_DIR)"

private=/usr/lib/receptiond
if [[ $build == yes ]]; then
    echo "build-deb: swift build -c release (10+ minutes on two cores)" >&2
    swift build -c release -Xlinker -rpath -Xlinker "$private" >&2
fi
bin="$(swift build -c release --show-bin-path)"
for product in receptiond receptionctl; do
    [[ -x "$bin/$product" ]] || fail "$bin/$product is missing: run without --no-build"
done

# swift-argument-parser's man page generator, built once from the resolved checkout.
manual_tool="$root/.build/generate-manual/release/generate-manual"
if [[ ! -x "$manual_tool" ]]; then
    [[ -d .build/checkouts/swift-argument-parser/Tools/generate-manual ]] \
        || fail "swift-argument-parser is not checked out (.build/checkouts): build first"
    echo "build-deb: building swift-argument-parser's generate-manual" >&2
    swift build -c release --package-path .build/checkouts/swift-argument-parser \
        --scratch-path "$root/.build/generate-manual" --product generate-manual >&2
fi

work="$out/work"
stage="$work/receptiond"
rm -rf "$work"
mkdir -p "$stage/DEBIAN" "$out"

# --- Files --------------------------------------------------------------------------------------
install -Dm0755 "$bin/receptiond" "$stage/usr/bin/receptiond"
install -Dm0755 "$bin/receptionctl" "$stage/usr/bin/receptionctl"
install -d -m0755 "$stage$private/plugins"
plugins=()
for so in "$bin"/libreceptiond-*.so; do
    name="$(basename "$so" .so)"
    name="${name#libreceptiond-}"
    [[ "$name" == example ]] && continue
    install -m0644 "$so" "$stage$private/plugins/"
    plugins+=("$name")
done
((${#plugins[@]} > 0)) || fail "no libreceptiond-*.so in $bin"

install -Dm0644 systemd/receptiond.service "$stage/lib/systemd/system/receptiond.service"
install -Dm0644 systemd/receptiond.socket "$stage/lib/systemd/system/receptiond.socket"
install -Dm0644 systemd/receptiond.sysusers "$stage/usr/lib/sysusers.d/receptiond.conf"
install -Dm0644 systemd/receptiond.tmpfiles "$stage/usr/lib/tmpfiles.d/receptiond.conf"
# 0640 as receptiond.tmpfiles wants it; postinst gives it group receptiond once that exists.
install -Dm0640 systemd/receptiond.conf.example "$stage/etc/receptiond/receptiond.conf"

# Completions: receptionctl prints them without a daemon (the words come at Tab time).
scratch_home="$work/home"
mkdir -p "$scratch_home"
ctl() { env -i PATH=/usr/bin:/bin HOME="$scratch_home" XDG_CACHE_HOME="$scratch_home/cache" \
    XDG_CONFIG_HOME="$scratch_home/config" LANG=C.UTF-8 "$bin/receptionctl" "$@"; }
install -d -m0755 "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
    "$stage/usr/share/fish/vendor_completions.d"
ctl completion bash >"$stage/usr/share/bash-completion/completions/receptionctl"
ctl completion zsh >"$stage/usr/share/zsh/vendor-completions/_receptionctl"
ctl completion fish >"$stage/usr/share/fish/vendor_completions.d/receptionctl.fish"
chmod 0644 "$stage"/usr/share/*/*/*receptionctl*

# Man pages. generate-manual writes mdoc with blank lines between paragraphs, which man(1) warns
# about; `.Pp` is mdoc's paragraph break (receptiond.conf.5 is man(7), without blank lines).
man_work="$work/man"
mkdir -p "$man_work"
"$manual_tool" "$bin/receptiond" --section 8 --date "$day" -o "$man_work"
"$manual_tool" "$bin/receptionctl" --section 1 --date "$day" -o "$man_work"
bash packaging/receptiond.conf.5.sh "$version" "$day" >"$man_work/receptiond.conf.5"
for page in receptiond.8 receptionctl.1 receptiond.conf.5; do
    section="${page##*.}"
    install -d -m0755 "$stage/usr/share/man/man$section"
    if [[ "$page" == receptiond.conf.5 ]]; then
        gzip -9n <"$man_work/$page" >"$stage/usr/share/man/man$section/$page.gz"
    else
        sed 's/^$/.Pp/' "$man_work/$page" | gzip -9n >"$stage/usr/share/man/man$section/$page.gz"
    fi
    chmod 0644 "$stage/usr/share/man/man$section/$page.gz"
done

# Documentation Debian policy asks for.
doc="$stage/usr/share/doc/receptiond"
install -d -m0755 "$doc"
install -m0644 packaging/copyright "$doc/copyright"
{
    echo "receptiond ($version) unstable; urgency=medium"
    echo
    echo "  * Release $version, packaged from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo " -- receptiond maintainers <maintainers@users.noreply.h-seed-1fbacffc.example>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
gzip -9n <README.md >"$doc/README.md.gz"
gzip -9n <protocol.md >"$doc/protocol.md.gz"
chmod 0644 "$doc"/*

# --- Swift runtime ------------------------------------------------------------------------------
# Every ELF file we ship, then the toolchain libraries they load (ldd resolves the whole tree),
# copied beside the plugins' parent directory. Each file's RUNPATH becomes exactly
# /usr/lib/receptiond: the build's own (the toolchain directory, $ORIGIN) must not leak into a
# server, where a leftover /opt/swift could otherwise mask a missing library.
mapfile -t elves < <(find "$stage/usr/bin" "$stage$private" -type f \( -name '*.so' -o -perm -0100 \))
declare -A runtime=()
for elf in "${elves[@]}"; do
    while read -r _ _ path _; do
        [[ "$path" == /* ]] || continue
        real="$(readlink -f "$path")"
        case "$real" in
            "$runtime_dir"/*) runtime["$(basename "$path")"]="$real" ;;
            "$bin"/* | "$root"/*) fail "$(basename "$elf") links $path, a build product that is not packaged" ;;
        esac
    done < <(ldd "$elf" | grep '=>')
done
((${#runtime[@]} > 0)) || fail "ldd found no Swift runtime library under $runtime_dir"
for name in "${!runtime[@]}"; do
    install -m0644 "${runtime[$name]}" "$stage$private/$name"
done
mapfile -t elves < <(find "$stage/usr/bin" "$stage$private" -type f \( -name '*.so' -o -perm -0100 \))
for elf in "${elves[@]}"; do
    patchelf --set-rpath "$private" "$elf"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$elf"
done
# Proof without installing: every NEEDED library of every shipped file is shipped or a system one.
for elf in "${elves[@]}"; do
    while read -r needed; do
        [[ -f "$stage$private/$needed" ]] && continue
        ldconfig -p | grep "^[[:space:]]*$needed " >/dev/null && continue
        fail "$(basename "$elf") needs $needed, which is neither shipped nor a system library"
    done < <(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done

# --- Control files ------------------------------------------------------------------------------
# Depends: the Debian packages owning the system libraries the shipped files load, at least the
# version installed here; systemd for sysusers/tmpfiles and the units.
# The package owning a library; usrmerge puts the same file under /lib and /usr/lib, and dpkg
# knows only the path the package ships.
owner() {
    local path="$1" candidate
    for candidate in "$path" "$(readlink -f "$path")" "${path/#\/lib\//\/usr\/lib\/}" "${path/#\/usr\/lib\//\/lib\/}"; do
        dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
    done
    return 1
}
declare -A owners=()
for elf in "${elves[@]}"; do
    while read -r needed; do
        [[ -f "$stage$private/$needed" ]] && continue
        path="$(ldconfig -p | sed -n "s/^[[:space:]]*$needed (libc6,x86-64.*) => //p" | head -1)"
        [[ -n "$path" ]] || fail "ldconfig does not know $needed"
        pkg="$(owner "$path")" || fail "no Debian package owns $path ($needed)"
        owners["$pkg"]=1
    done < <(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
depends=()
for pkg in $(printf '%s\n' "${!owners[@]}" | sort); do
    upstream="$(dpkg-query -W -f '${Version}' "$pkg" | sed 's/^[0-9]*://; s/-[^-]*$//')"
    depends+=("$pkg (>= $upstream)")
done
depends+=("systemd")

installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat >"$stage/DEBIAN/control" <<EOF
Package: receptiond
Version: $version
Architecture: $arch
Maintainer: receptiond maintainers <maintainers@users.noreply.h-seed-1fbacffc.example>
Installed-Size: $installed_kb
Depends: $(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')
Section: admin
Priority: optional
Description: front-desk daemon for property management
 receptiond keeps a property's front-desk registers (parcels and mail,
 access passes and keys, utility prepurchases, meeting rooms, the desk log)
 in SQLite and serves them to the counter workstations as JSON-RPC over a
 Unix socket, under systemd with socket activation, watchdog and journald.
 .
 receptionctl is its command line for the counter and for scripts.
 .
$(echo "Department plugins: $(IFS=,; echo "${plugins[*]}" | sed 's/,/, /g'). The Swift runtime libraries it needs are included under /usr/lib/receptiond." | fold -s -w 72 | sed 's/ *$//; s/^/ /')
EOF
echo /etc/receptiond/receptiond.conf >"$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m0755 "packaging/$script" "$stage/DEBIAN/$script"
done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles"

deb="$out/receptiond_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
echo "build-deb: runtime libraries: $(printf '%s\n' "${!runtime[@]}" | sort | tr '\n' ' ')" >&2
echo "build-deb: plugins: ${plugins[*]}" >&2
echo "build-deb: $(du -h "$deb" | cut -f1) $deb" >&2
echo "$deb"
