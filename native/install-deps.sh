#!/usr/bin/env bash
# Debian packages the live driver is built with (clang for the eBPF object, bpftool for
# vmlinux.h and the skeleton, libbpf 1.1 and libelf for the addon), and openssl, with which
# the tests make TLS certificates. Needs root; does nothing when they are all installed.
set -euo pipefail
DEPS="clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool openssl"
if dpkg -s $DEPS >/dev/null 2>&1; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $DEPS
