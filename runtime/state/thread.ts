// A thread as the system state keeps it (libsinsp's threadinfo): identity, process data, the
// fd table it shares with its process, and the container it runs in.
import { FdTable } from './fd.ts';

export class ThreadInfo {
  tid = -1;
  pid = -1;
  ptid = -1;
  sid = 0;
  vpgid = 0;
  pgid = -1;
  vtid = -1;
  vpid = -1;
  comm = '<NA>';
  exe = '<NA>';
  exepath = '';
  args: string[] = [];
  env: string[] = [];
  /** Meaningful on the main thread (process-wide), always `/`-terminated. */
  cwd = '/';
  root = '/';
  uid = 0xffffffff;
  gid = 0xffffffff;
  loginuid = 0xffffffff;
  tty = 0;
  capInheritable = 0n;
  capPermitted = 0n;
  capEffective = 0n;
  cloneFlags = 0;
  fdlimit = 0;
  cloneTs = 0n;
  lastexecTs = 0n;
  pidnsInitStartTs = 0n;
  exeWritable = false;
  exeUpperLayer = false;
  exeLowerLayer = false;
  exeFromMemfd = false;
  exeIno = 0n;
  exeInoCtime = 0n;
  exeInoMtime = 0n;
  /** (subsystem, path) pairs in order. */
  cgroups: [string, string][] = [];
  /** '' = host. */
  containerId = '';
  fds = new FdTable();
  /** Built from a child-side clone event (libsinsp's CLONE_INVERTED). */
  fromChildEvent = false;
  dead = false;
  childSubreaper = false;

  /** A placeholder for a thread the state has never heard of (no /proc in replay). */
  get invalid(): boolean {
    return this.tid < 0 || this.pid < 0 || this.ptid < 0;
  }

  get isMainThread(): boolean {
    return this.tid === this.pid;
  }

  // Texts built from args/env, read by proc.* fields on every event their rules see. Parsers
  // replace these arrays (never edit them in place), so a text stays valid while the array
  // (and, for cmdline, comm) it was built from is the current one.
  private argsTextFrom: readonly string[] | undefined;
  private argsTextValue = '';
  private cmdlineFrom: readonly string[] | undefined;
  private cmdlineComm = '';
  private cmdlineValue = '';
  private envTextFrom: readonly string[] | undefined;
  private envTextValue = '';

  /** The arguments joined by spaces (proc.args). */
  argsText(): string {
    if (this.argsTextFrom !== this.args) {
      this.argsTextValue = this.args.join(' ');
      this.argsTextFrom = this.args;
    }
    return this.argsTextValue;
  }

  cmdline(): string {
    if (this.args.length === 0) return this.comm;
    if (this.cmdlineFrom !== this.args || this.cmdlineComm !== this.comm) {
      this.cmdlineValue = `${this.comm} ${this.argsText()}`;
      this.cmdlineFrom = this.args;
      this.cmdlineComm = this.comm;
    }
    return this.cmdlineValue;
  }

  /** This thread's own environment joined by spaces (proc.env reads the process's: see SystemState.envOf). */
  envText(): string {
    if (this.envTextFrom !== this.env) {
      this.envTextValue = this.env.join(' ');
      this.envTextFrom = this.env;
    }
    return this.envTextValue;
  }
}
