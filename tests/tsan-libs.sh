#!/usr/bin/env bash
# Builds Debian's own gRPC, Abseil and cpp-httplib sources, the versions installed on this
# machine, with -fsanitize=thread into a prefix (default /opt/gatehouse-tsan/lib).
# ./tests/sanitizers.sh thread puts that folder first on LD_LIBRARY_PATH, so the sanitized
# Gatehouse binaries load instrumented libraries in place of Debian's (same versions, same
# sonames, same ABI).
# Why: TSan only sees the synchronisation of code it instrumented. Debian's gRPC hands calls
# between threads through Abseil mutexes and its own atomics, and cpp-httplib initialises its
# function-local statics (regexes) behind guards it reads inline, so with the plain libraries
# every test drowns in false reports. Protobuf, OpenSSL and c-ares stay Debian's: messages cross
# threads only through gRPC, whose hand-over TSan now sees (OpenSSL: see tests/tsan.supp).
# Dev-only and slow (about 10 minutes on 2 cores); run once per machine. The sources come from
# Debian's archive through apt, which checks their signatures; nothing is installed system-wide.
set -euo pipefail
prefix=${GATEHOUSE_TSAN_PREFIX:-/opt/gatehouse-tsan}
work=${GATEHOUSE_TSAN_WORK:-/var/tmp/gatehouse-tsan-src}
jobs=${JOBS:-$(nproc)}
flags="-fsanitize=thread -O1 -g -fno-omit-frame-pointer"

if [[ -f $prefix/.built ]]; then
  echo "instrumented gRPC, Abseil and cpp-httplib already in $prefix/lib"
  exit 0
fi
cd "$(dirname "$0")/.."
./deploy/install-deps.sh
# dpkg-source unpacks the sources; gRPC builds its reflection library's generated code with
# libprotoc.
dpkg -s dpkg-dev libprotoc-dev > /dev/null 2>&1 ||
  apt-get install -y -qq dpkg-dev libprotoc-dev > /dev/null

# A private apt state that knows Debian's source packages, so the machine's own apt
# configuration is left as it was.
mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$work/apt/sources" << EOF
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
EOF
apt_private=(-o Dir::Etc::SourceList="$work/apt/sources" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache::Archives="$work/apt/archives"
  -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
apt-get "${apt_private[@]}" update -qq

source_version() { dpkg-query -W -f='${source:Version}' "$1"; }
grpc_version=$(source_version libgrpc-dev)
absl_version=$(source_version libabsl-dev)
httplib_version=$(source_version libcpp-httplib-dev)
cd "$work"
rm -rf grpc abseil cpp-httplib
apt-get "${apt_private[@]}" source -qq "grpc=$grpc_version" "abseil=$absl_version" \
  "cpp-httplib=$httplib_version" > /dev/null
mv "grpc-${grpc_version%-*}" grpc
mv "abseil-${absl_version%-*}" abseil
mv "cpp-httplib-${httplib_version%-*}" cpp-httplib

# Abseil as Debian builds it (C++17, the patched options.h that names the debian3 namespace).
cmake -S abseil -B abseil/build-tsan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_STANDARD=17 \
  -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" > /dev/null
cmake --build abseil/build-tsan -j"$jobs"
cmake --install abseil/build-tsan > /dev/null

# gRPC with Debian's providers, against the instrumented Abseil. Only the libraries Gatehouse
# loads are built, and only they are copied: Debian's headers and CMake files stay in use.
cmake -S grpc -B grpc/build-tsan -DCMAKE_BUILD_TYPE=None -DBUILD_SHARED_LIBS=ON \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_STANDARD=17 \
  -DgRPC_ABSL_PROVIDER=package -DgRPC_CARES_PROVIDER=package -DgRPC_PROTOBUF_PROVIDER=package \
  -DgRPC_RE2_PROVIDER=package -DgRPC_SSL_PROVIDER=package -DgRPC_ZLIB_PROVIDER=package \
  -DgRPC_BUILD_TESTS=OFF -DgRPC_BUILD_CODEGEN=ON -DgRPC_BACKWARDS_COMPATIBILITY_MODE=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" > /dev/null
cmake --build grpc/build-tsan -j"$jobs" --target grpc++ grpc++_reflection
mkdir -p "$prefix/lib"
for lib in grpc++ grpc++_reflection grpc gpr upb address_sorting; do
  cp -a grpc/build-tsan/lib"$lib".so* "$prefix/lib/"
done

# cpp-httplib as Debian builds it (split into header and library, poll() instead of select(),
# the defines its pkg-config file gives); the header it writes is the one Debian installs.
(cd cpp-httplib && python3 "$PWD/split.py" --out split > /dev/null)
cmp -s cpp-httplib/split/httplib.h /usr/include/httplib.h ||
  { echo "cpp-httplib $httplib_version does not split into the installed httplib.h" >&2; exit 1; }
g++ -std=c++17 -shared -fPIC $flags -DCPPHTTPLIB_USE_POLL $(pkg-config --cflags cpp-httplib) \
  -Icpp-httplib/split cpp-httplib/split/httplib.cc -o "$prefix/lib/libcpp-httplib.so.0.11" \
  -Wl,-soname,libcpp-httplib.so.0.11 -lssl -lcrypto -lz -lbrotlidec -lbrotlienc
touch "$prefix/.built"
echo "instrumented gRPC $grpc_version, Abseil $absl_version and cpp-httplib $httplib_version" \
  "in $prefix/lib"
