#!/usr/bin/env node
// Builds the live driver: vmlinux.h from the running kernel's BTF (bpftool), the eBPF object
// (clang -target bpf, CO-RE), its libbpf skeleton (bpftool gen skeleton), then the N-API addon
// (node-gyp) that embeds it: native/build/Release/falcoc_native.node.
// Usage: node native/build.mjs [--optional]
//   --optional: a machine without the toolchain (or BTF) gets a notice and exit 0, so the rest of
//   falcoc (lint, build, replay) installs and works there; live commands then say what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Outside build/, which node-gyp rebuild removes first.
const out = join(here, 'build-bpf');
const optional = process.argv.includes('--optional');
const BTF = '/sys/kernel/btf/vmlinux';
const DEBIAN = 'apt-get install -y clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool';

const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const missing = [];
for (const tool of ['clang', 'bpftool', 'llvm-strip']) if (!has(tool)) missing.push(tool);
if (!existsSync('/usr/include/bpf/libbpf.h')) missing.push('libbpf headers (libbpf-dev)');
if (!existsSync('/usr/include/gelf.h')) missing.push('libelf headers (libelf-dev)');
if (!existsSync(BTF)) missing.push(`kernel BTF (${BTF})`);
if (missing.length) {
  const msg = `falcoc: the live driver (native/) is not built: missing ${missing.join(', ')}.\n` +
    `  On Debian 12: ${DEBIAN}; then: npm run build:native\n` +
    '  Everything but `falcoc run` and `falcoc capture` works without it.';
  console.error(msg);
  process.exit(optional ? 0 : 1);
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
try {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'vmlinux.h'), run('bpftool', ['btf', 'dump', 'file', BTF, 'format', 'c'], { maxBuffer: 1 << 28 }));
  const obj = join(out, 'falcoc.bpf.o');
  run('clang', ['-O2', '-g', '-target', 'bpf', '-D__TARGET_ARCH_x86', `-I${out}`, `-I${join(here, 'bpf')}`, '-c', join(here, 'bpf/falcoc.bpf.c'), '-o', obj]);
  // DWARF is not needed at run time (BTF is kept): a smaller object embedded in the addon.
  run('llvm-strip', ['-g', obj]);
  writeFileSync(join(out, 'falcoc.skel.h'), run('bpftool', ['gen', 'skeleton', obj, 'name', 'falcoc_bpf'], { maxBuffer: 1 << 28 }));
  const gyp = join(here, '../node_modules/node-gyp/bin/node-gyp.js');
  // Node's own headers where this node is installed (Debian's nodejs ships them): no download.
  const prefix = dirname(dirname(process.execPath));
  const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include/node/node.h')) ? prefix : undefined);
  execFileSync(process.execPath, [gyp, 'rebuild', '--directory', here, ...(nodedir ? [`--nodedir=${nodedir}`] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.error(`falcoc: live driver built: ${join(here, 'build/Release/falcoc_native.node')}`);
} catch (e) {
  console.error(`falcoc: building the live driver failed: ${e.message}`);
  if (!optional) process.exit(1);
  console.error('  Everything but `falcoc run` and `falcoc capture` works without it.');
}
