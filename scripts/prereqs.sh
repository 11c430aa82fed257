#!/usr/bin/env bash
# Checks what building arbiter needs: cargo, cmake, a C++ compiler and libclang (HiGHS is
# compiled from source by highs-sys and bound with bindgen). As root with apt-get, installs
# what is missing; otherwise prints the exact command to run and stops.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo not found; install Rust with: curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
    exit 1
fi

have_libclang() {
    if [ -n "${LIBCLANG_PATH:-}" ] && ls "$LIBCLANG_PATH"/libclang*.so* >/dev/null 2>&1; then
        return 0
    fi
    if command -v dpkg >/dev/null 2>&1 && dpkg -s libclang-dev >/dev/null 2>&1; then
        return 0
    fi
    # libclang itself, not libclang-cpp (which Debian images often carry without the former).
    ls /usr/lib/llvm-*/lib/libclang.so /usr/lib/llvm-*/lib/libclang-[0-9]*.so* \
        /usr/lib/*/libclang.so /usr/lib/*/libclang-[0-9]*.so* /usr/lib64/libclang.so* >/dev/null 2>&1
}

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
have_libclang || missing+=(libclang-dev)
if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1; then
    missing+=(g++)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (needed to build HiGHS)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
    exit 0
fi

echo "error: missing ${missing[*]} (needed to build HiGHS); install them with:" >&2
extra=""
case " ${missing[*]} " in *" g++ "*) extra=" g++" ;; esac
echo "    sudo apt-get install -y cmake libclang-dev$extra" >&2
exit 1
