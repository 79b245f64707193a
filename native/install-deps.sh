#!/usr/bin/env bash
# Debian packages the live driver is built with (clang for the eBPF object, bpftool for
# vmlinux.h and the skeleton, libbpf 1.1 and libelf for the addon), bsdutils (util-linux's
# logger, which sends syslog_output to the local socket), and for the tests openssl (TLS
# certificates) and python3 (a Unix datagram listener standing in for the syslog daemon).
# Needs root; does nothing when they are all installed.
set -euo pipefail
DEPS="clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool bsdutils openssl python3"
if dpkg -s $DEPS >/dev/null 2>&1; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $DEPS
