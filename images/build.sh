#!/usr/bin/env bash
# `make images`: builds the tracker, storage and operator images of images/Dockerfile into the local image
# store and saves all three to target/images/kfdfs-images.tar (for `kind load image-archive`, `docker load`).
# Their names and tag are the parent pom's kfdfs.image.registry and kfdfs.image.tag, read from the
# operator's release.properties (the build filters them in), so they are the images the operator defaults to.
#
#   IMAGE_BUILDER  podman (default: daemonless, installed with apt-get when missing) or docker
#   BASE_IMAGE     the image to build on (a Java 17 runtime); by default with podman
#                  localhost/kfdfs-base:bookworm-jre17, made here from Debian packages with mmdebstrap when
#                  it is missing (REBUILD_BASE=1 makes it again, e.g. for security updates); with docker
#                  eclipse-temurin:17-jre
#   STAGE_ONLY=1   only stage the build context (target/images/context)
# Expects a build (make build) of the modules first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/images
CTX=$OUT/context
BUILDER=${IMAGE_BUILDER:-podman}

fail() {
  echo "make images: $*" >&2
  exit 1
}

updated=
# Installs Debian package $2 for command $1 when it is missing, or says why it cannot.
need() {
  command -v "$1" >/dev/null 2>&1 && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "cannot build the images: '$1' is not installed, and only root on a Debian-like system can install it here (apt-get install $2)"
  fi
  echo "make images: installing $2 (apt-get)"
  if [ -z "$updated" ]; then
    apt-get update -qq || fail "cannot build the images: apt-get update failed: no Debian package mirror reachable to install $2"
    updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null \
    || fail "cannot build the images: apt-get install $2 failed (see above)"
}

case "$BUILDER" in
  podman | docker) ;;
  *) fail "IMAGE_BUILDER=$BUILDER: expected podman or docker" ;;
esac

release=operator/target/classes/io/kfdfs/operator/release.properties
[ -r "$release" ] || fail "$release is missing: build first (make build)"
prop() { sed -n "s/^$1=//p" "$release"; }
VERSION=$(prop version)
declare -A IMAGE=([tracker]=$(prop image.tracker) [storage]=$(prop image.storage) [operator]=$(prop image.operator))

# The context: each program's runtime jars, the CLI with the classic tool links, the pods' JVM option
# scripts, the images' own files.
stage() {
  local m
  for m in tracker-pod storage-pod client/cli operator; do
    ls "$m"/target/kfdfs-*-"$VERSION".jar >/dev/null 2>&1 || fail "$m/target has no jar of version $VERSION: build first (make build)"
    rm -rf "$m/target/image-lib"
  done
  # one Maven run: each module's runtime dependencies into its own target/image-lib
  mvn -B -q -o dependency:copy-dependencies -pl tracker-pod,storage-pod,client/cli,operator \
      -DincludeScope=runtime -DoutputDirectory=target/image-lib >/dev/null \
    || mvn -B -q dependency:copy-dependencies -pl tracker-pod,storage-pod,client/cli,operator \
      -DincludeScope=runtime -DoutputDirectory=target/image-lib >/dev/null \
    || fail "cannot stage the jars: mvn dependency:copy-dependencies failed"
  rm -rf "$CTX"
  mkdir -p "$CTX"/{bin,jvm,cli/bin,tracker/conf,storage/conf,operator}
  local from to
  for from in tracker-pod:tracker storage-pod:storage client/cli:cli operator:operator; do
    m=${from%%:*} to=$CTX/${from##*:}/lib
    mkdir -p "$to"
    cp "$m"/target/image-lib/*.jar "$m"/target/kfdfs-*-"$VERSION".jar "$to"/
  done
  cp images/kfdfs-entrypoint "$CTX"/bin/
  cp images/fdfs "$CTX"/cli/bin/
  cp -P bin/fdfs_* "$CTX"/cli/bin/ # links to fdfs: the classic tools
  cp scripts/jvm-opts scripts/pod-jvm-opts "$CTX"/jvm/
  cp images/conf/tracker.conf "$CTX"/tracker/conf/
  cp images/conf/storage.conf "$CTX"/storage/conf/
  cp images/operator-jvm-opts "$CTX"/operator/jvm.options
}

stage
echo "make images: context staged in $CTX"
if [ -n "${STAGE_ONLY:-}" ]; then
  exit 0
fi

case "$BUILDER" in
  podman)
    need podman podman
    # crun, podman's default runtime, fails on hosts with hybrid cgroups; runc works there and elsewhere
    need runc runc
    # the limits an unprivileged container may have where root cannot raise its own; host network: no
    # bridge to set up for a build that downloads nothing
    RUN_FLAGS=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network host)
    ;;
  docker)
    docker info >/dev/null 2>&1 || fail "cannot build the images with docker: no Docker engine answers ('docker info' fails); IMAGE_BUILDER=podman needs none"
    RUN_FLAGS=()
    ;;
esac

if [ -z "${BASE_IMAGE:-}" ] && [ "$BUILDER" = docker ]; then
  BASE_IMAGE=eclipse-temurin:17-jre
elif [ -z "${BASE_IMAGE:-}" ]; then
  # No registry with base images is reachable from every build machine, Debian's package mirrors are:
  # a root file system with Debian's Java 17 runtime, without docs, man pages and locales.
  BASE_IMAGE=localhost/kfdfs-base:bookworm-jre17
  if [ -n "${REBUILD_BASE:-}" ] || ! podman image exists "$BASE_IMAGE"; then
    need mmdebstrap mmdebstrap
    echo "make images: making $BASE_IMAGE with mmdebstrap (Debian bookworm, openjdk-17-jre-headless)"
    rootfs=$OUT/base-rootfs.tar
    # update-alternatives writes the java man page link: its folder must exist although man pages are left out
    mmdebstrap --variant=minbase --mode=root --include=openjdk-17-jre-headless \
        --aptopt='APT::Install-Recommends "false"' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
        --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
        bookworm "$rootfs" >"$OUT/mmdebstrap.log" 2>&1 \
      || fail "cannot make the base image: mmdebstrap failed (last lines of $OUT/mmdebstrap.log:)$(echo; tail -5 "$OUT/mmdebstrap.log")"
    podman import -q --change 'CMD ["/bin/bash"]' "$rootfs" "$BASE_IMAGE" >/dev/null \
      || fail "cannot import $rootfs into podman"
    rm -f "$rootfs"
  fi
fi

for target in tracker storage operator; do
  echo "make images: building ${IMAGE[$target]} (on $BASE_IMAGE)"
  "$BUILDER" build "${RUN_FLAGS[@]}" --target "$target" --build-arg "BASE_IMAGE=$BASE_IMAGE" \
      --build-arg "VERSION=$VERSION" -t "${IMAGE[$target]}" -f images/Dockerfile "$CTX" >"$OUT/build-$target.log" 2>&1 \
    || fail "building ${IMAGE[$target]} failed (last lines of $OUT/build-$target.log:)$(echo; tail -15 "$OUT/build-$target.log")"
done

archive=$OUT/kfdfs-images.tar
rm -f "$archive"
if [ "$BUILDER" = podman ]; then
  podman save -q --format docker-archive --multi-image-archive -o "$archive" "${IMAGE[@]}" >/dev/null
else
  docker save -o "$archive" "${IMAGE[@]}"
fi
echo "make images: built and saved to $archive:"
"$BUILDER" image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep -F "$(dirname "${IMAGE[tracker]}")/" || true
