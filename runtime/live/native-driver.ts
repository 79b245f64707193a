// The live driver from JavaScript: loads the N-API addon built by native/build.mjs, checks what
// a live capture needs before trying (root, BTF, tracefs), and turns the addon's batches into
// calls of `onBatch(bytes)` over a Uint8Array holding whole scap/ppm events back to back. The
// batch memory is the addon's: it is valid only during the call and goes back to the driver
// right after it (also when the callback throws).
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class DriverError extends Error {}

interface NativeDriver {
  open(o: { ringBytes: number; batchBytes: number; excludeTgid: number; attach: [string, string][]; procExit?: boolean }): ArrayBuffer[];
  start(onBatch: (index: number, bytes: number, events: number) => void): void;
  release(index: number): void;
  stats(): DriverStats;
  stop(): void;
  close(): void;
}

export interface DriverStats {
  /** Events the kernel side wrote into the ring buffer. */
  events: number;
  /** Events lost because the ring buffer was full. */
  drops: number;
  /** Events too large for the kernel side's scratch space (never expected). */
  truncated: number;
  /** Batches handed to JavaScript, and times the poll thread waited for one to come back. */
  batches: number;
  waits: number;
}

export interface DriverOptions {
  /** Syscalls to capture (keys of DRIVER_SYSCALLS, this kernel's: see availableSyscalls). */
  syscalls: readonly string[];
  /**
   * Ring buffer size, a power of two (default 8 MiB). Measured here: the heaviest load
   * (bench/overhead's open+close loop, ~500k events/s of ~80 bytes, ~40 MB/s) puts ~0.4 MiB in
   * the ring between two 10 ms polls, so 8 MiB leaves ~200 ms for a reader held up (a slow batch,
   * a GC pause) before anything drops; the burst test passes with 4 MiB and a slowed reader.
   */
  ringBytes?: number;
  /** Size of each of the four batch buffers (default 1 MiB). */
  batchBytes?: number;
  /** A process whose events are not captured (default: this one, so outputs do not feed back). */
  excludePid?: number;
}

/** Syscalls the eBPF program can capture, each with its handler program there
 * (native/bpf/falcoc.bpf.c), which the addon attaches to the syscall's exit tracepoint. */
export const DRIVER_SYSCALLS: Readonly<Record<string, string>> = {
  ...handled('on_openat', 'openat', 'open', 'creat', 'openat2'),
  ...handled('on_close', 'close'),
  ...handled('on_execve', 'execve', 'execveat'),
  ...handled('on_clone', 'clone', 'clone3', 'fork', 'vfork'),
  ...handled('on_net', 'connect', 'accept', 'accept4', 'bind', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg'),
  // native/bpf/simple.h's recipes
  ...handled(
    'on_simple', 'chdir', 'fchdir', 'dup', 'dup2', 'dup3', 'fcntl', 'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir',
    'rename', 'renameat', 'renameat2', 'symlink', 'symlinkat', 'link', 'linkat', 'chmod', 'fchmod', 'fchmodat', 'setuid',
    'setgid', 'memfd_create', 'close_range', 'socket', 'listen', 'ptrace', 'setsid', 'setresuid', 'setresgid', 'setreuid',
    'setregid', 'chroot', 'unshare', 'setns', 'epoll_create', 'epoll_create1', 'timerfd_create', 'inotify_init', 'eventfd',
    'pidfd_open', 'pipe', 'pipe2', 'finit_module', 'init_module', 'bpf', 'pidfd_getfd', 'userfaultfd', 'eventfd2', 'signalfd',
    'signalfd4', 'inotify_init1', 'setrlimit', 'prlimit64', 'capset', 'getcwd', 'prctl', 'socketpair',
  ),
};

function handled(program: string, ...syscalls: string[]): Record<string, string> {
  return Object.fromEntries(syscalls.map((s) => [s, program]));
}

/** Whether the driver can capture this syscall. */
export const isDriverSyscall = (name: string): boolean => Object.hasOwn(DRIVER_SYSCALLS, name);

const TRACEFS = '/sys/kernel/tracing';
const BTF = '/sys/kernel/btf/vmlinux';

/**
 * Where native/build.mjs leaves the addon: FALCOC_NATIVE_ADDON, else native/build/Release in
 * the first folder up from this module that has one (the source tree, generated/cli, …).
 */
function addonPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const candidates = process.env.FALCOC_NATIVE_ADDON ? [process.env.FALCOC_NATIVE_ADDON] : [];
  for (let i = 0; i < 5; i++, dir = dirname(dir)) candidates.push(resolve(dir, 'native/build/Release/falcoc_native.node'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new DriverError('the live driver is not built: run `npm run build:native` (needs clang, bpftool, libbpf-dev, libelf-dev; see README)');
  return found;
}

/** What a live capture needs that this machine lacks, each with what to do; [] when ready. */
export function liveCaptureProblems(): string[] {
  const out: string[] = [];
  if (process.getuid?.() !== 0) out.push('live capture needs root (run falcoc as root)');
  if (!existsSync(BTF)) out.push(`the kernel has no BTF (${BTF}): a kernel built with CONFIG_DEBUG_INFO_BTF is needed`);
  return out;
}

/** Mounts tracefs when it is not (libbpf finds tracepoint ids there); an error says what failed. */
function ensureTracefs(): void {
  if (existsSync(join(TRACEFS, 'events/syscalls'))) return;
  try {
    execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'ignore' });
  } catch (e) {
    throw new DriverError(`tracefs is not mounted at ${TRACEFS} and mounting it failed (${(e as Error).message}); mount it: mount -t tracefs nodev ${TRACEFS}`);
  }
}

/** Syscall exit tracepoints this kernel has (names without the sys_exit_ prefix). */
export function availableSyscalls(): Set<string> {
  ensureTracefs();
  return new Set(
    readdirSync(join(TRACEFS, 'events/syscalls'))
      .filter((n) => n.startsWith('sys_exit_'))
      .map((n) => n.slice('sys_exit_'.length)),
  );
}

export class LiveDriver {
  private readonly native: NativeDriver;
  private readonly buffers: Uint8Array[];
  private stopped: Promise<void> | undefined;
  /** The counters read just before the driver was closed. */
  private final: DriverStats | undefined;

  constructor(opts: DriverOptions) {
    const problems = liveCaptureProblems();
    if (problems.length) throw new DriverError(problems.join('; '));
    const unknown = opts.syscalls.filter((s) => !isDriverSyscall(s));
    if (unknown.length) throw new DriverError(`the live driver cannot capture: ${unknown.join(', ')}`);
    const have = availableSyscalls();
    const missing = opts.syscalls.filter((s) => !have.has(s));
    if (missing.length) throw new DriverError(`this kernel has no exit tracepoint for: ${missing.join(', ')}`);
    const require = createRequire(import.meta.url);
    const mod = require(addonPath()) as { Driver: new () => NativeDriver };
    this.native = new mod.Driver();
    const buffers = this.native.open({
      ringBytes: opts.ringBytes ?? 8 << 20,
      batchBytes: opts.batchBytes ?? 1 << 20,
      excludeTgid: opts.excludePid ?? process.pid,
      attach: opts.syscalls.map((s) => [s, DRIVER_SYSCALLS[s]!] as [string, string]),
    });
    this.buffers = buffers.map((b) => new Uint8Array(b));
  }

  /**
   * Starts capturing; `onBatch` gets each batch of events (valid during the call only). The
   * promise resolves after stop(), once every event the ring held has been handed over.
   */
  start(onBatch: (events: Uint8Array, count: number) => void): Promise<void> {
    this.stopped = new Promise((resolveStopped, rejectStopped) => {
      this.native.start((index, bytes, count) => {
        if (index < 0) {
          this.final = this.native.stats();
          this.native.close();
          resolveStopped();
          return;
        }
        try {
          onBatch(this.buffers[index]!.subarray(0, bytes), count);
        } catch (e) {
          this.native.stop();
          rejectStopped(e);
        } finally {
          this.native.release(index);
        }
      });
    });
    return this.stopped;
  }

  stats(): DriverStats {
    return this.final ?? this.native.stats();
  }

  /** Detaches; the promise start() returned resolves when the rest has been handed over. */
  stop(): void {
    this.native.stop();
  }
}
