#!/usr/bin/env bash
# The base image of the API and worker images, built on this machine from its registries only (no
# container registry is reachable here; see docs/decisions.md D-OPS1):
#   - a distroless-style userland: Debian 12 packages (libc6, libgcc-s1, base-files, netbase, tzdata)
#     fetched with `apt-get download` and unpacked with dpkg-deb; no package manager, no shell;
#   - a Java runtime jlink'ed from the build JDK ($JAVA_HOME, >= 21) with the modules the apps use;
#   - a non-root user 65532 (nonroot), /tmp, PATH and JAVA_HOME.
# Writes ops/images/target/commdesk-base.tar (docker-archive: Jib's `tar://` base) and, next to it,
# commdesk-base.packages.txt with the exact package versions and the JDK inside. Reuses the tar when
# the inputs (this script, the package versions, the JDK) are unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/target"
tar_out="$out/commdesk-base.tar"
packages=(libc6 libgcc-s1 base-files netbase tzdata)
# What the Spring Boot apps, the Temporal SDK (gRPC/Netty), the PostgreSQL driver, OkHttp and the
# Cashfree SDK need, found with jdeps and by running the apps on this runtime (README of ops/images).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.jfr,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ] || { echo "build-base: JAVA_HOME must name a JDK >= 21 (jlink)" >&2; exit 1; }
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "build-base: needs apt-get and dpkg-deb (Debian)" >&2; exit 1; }
mkdir -p "$out"

# The versions apt would fetch now; with the script and the JDK they decide whether to rebuild.
versions=$(for p in "${packages[@]}"; do echo "$p $(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')"; done)
if grep -q '(none)' <<<"$versions"; then apt-get update -qq; versions=$(for p in "${packages[@]}"; do echo "$p $(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')"; done); fi
jdk=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
stamp=$( { cat "$0" "$here/docker_archive.py"; echo "$versions"; echo "$jdk"; echo "$modules"; } | sha256sum | cut -c1-16)
if [ -f "$tar_out" ] && [ "$(cat "$out/commdesk-base.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "build-base: $tar_out is up to date ($stamp)"; exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/rootfs"
(cd "$work/debs" && apt-get download -q "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
[ "$(ls "$work"/debs/*.deb | wc -l)" -eq "${#packages[@]}" ] || { echo "build-base: apt-get download did not fetch every package" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/rootfs"; done
root="$work/rootfs"
rm -rf "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/lintian
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$root/opt/java"
mkdir -p "$root/tmp" "$root/home/nonroot" "$root/app"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
{ echo "# ops/images/build-base.sh $stamp"; echo "$versions"; echo "jre $jdk (jlink: $modules)"; } | tee "$out/commdesk-base.packages.txt" \
  >"$root/etc/commdesk-base-packages.txt"

python3 "$here/docker_archive.py" "$root" "$tar_out" --tag "commdesk/base-jre:$stamp" \
  --env PATH=/opt/java/bin:/usr/bin:/bin --env JAVA_HOME=/opt/java --env LANG=C.UTF-8 --env TZ=UTC \
  --user 65532 --owner home/nonroot=65532:65532 \
  --label org.opencontainers.image.title=commdesk-base-jre \
  --label org.opencontainers.image.description="Debian 12 libc + jlink JRE $jdk, non-root, no shell"
echo "$stamp" >"$out/commdesk-base.stamp"
