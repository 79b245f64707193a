// Event parameters as text (evt.arg.NAME, evt.arg[N], evt.args, and fd names rebuilt from
// events): libsinsp's raw rendering per parameter type plus the "resolved" rendering some
// types have (fd → `<f>/etc/passwd`, errno → ENOENT, flags → O_RDONLY|O_CLOEXEC, relative
// path → absolute, uid → user name, …). evt.arg shows the resolved text when there is one.
import type { EventParamInfo } from '../events/event-info.ts';
import type { EventView } from '../events/event-view.ts';
import { PPM_AF_INET, PPM_AF_INET6, PPM_AF_UNIX, cStringAt } from '../events/socket-params.ts';
import { FD_TYPECHAR, isIpSocket, isServerSocket } from '../state/fd.ts';
import { ipAddrText } from '../state/fd-names.ts';
import type { ThreadInfo } from '../state/thread.ts';
import type { EventContext } from './context.ts';
import { errnoName, signalName, syscallName } from './kernel-names.ts';
import { enumFlagsText, flagsText, formatG, formatInteger, modeText } from './param-format.ts';
import { concatenatePaths, dropControlBytes } from './path-concat.ts';
import { localDateTime } from './time-text.ts';

import { AT_FDCWD } from '../events/ppm-flags.ts';
const GENERIC_EXIT = 1;
const MAX_PPM_SC = 512;

/** The two renderings of one parameter (reused between calls). */
export interface ParamText {
  raw: string;
  resolved: string;
}

/** Types whose empty value renders as NULL; every other empty parameter renders as <NA>. */
const NULL_WHEN_EMPTY = new Set(['BYTEBUF', 'SOCKTUPLE', 'FDLIST', 'CHARBUFARRAY', 'CHARBUF_PAIR_ARRAY', 'DYN']);
/** String types that read an empty or "(NULL)" value as the string <NA>. */
const LEGACY_NULL = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);

/** Sub-types of DYN parameters, by the index byte that prefixes the value (per event). */
const DYN_TYPES: Readonly<Record<string, readonly string[]>> = {
  setsockopt: ['BYTEBUF', 'ERRNO', 'UINT32', 'UINT64', 'RELTIME'],
  getsockopt: ['BYTEBUF', 'ERRNO', 'UINT32', 'UINT64', 'RELTIME'],
  ptrace: ['UINT64', 'SIGTYPE'],
  bpf: ['FD', 'ERRNO'],
};

/** A string parameter as libsinsp reads it: empty and "(NULL)" become <NA>. */
export function stringParam(v: EventView, i: number): string {
  if (v.paramLength(i) === 0) return '<NA>';
  const s = v.str(i);
  return s === '(NULL)' ? '<NA>' : s;
}

/** The fd as `<T[p]>name` when the thread has it, AT_FDCWD, or an errno name. */
export function fdResolved(t: ThreadInfo | undefined, fd: number): string {
  if (!t) return '';
  if (fd >= 0) {
    const f = t.fds.get(fd);
    if (!f) return '';
    let proto = '';
    if (isIpSocket(f.type) || isServerSocket(f.type)) {
      proto = f.l4proto === 'tcp' ? 't' : f.l4proto === 'udp' ? 'u' : f.l4proto === 'icmp' ? 'i' : f.l4proto === 'raw' ? 'r' : '';
    }
    return `<${FD_TYPECHAR[f.type] ?? '?'}${proto}>${dropControlBytes(f.name)}`;
  }
  if (fd === AT_FDCWD) return 'AT_FDCWD';
  return errnoName(fd);
}

/** The directory a relative path parameter is resolved against (libsinsp's get_base_dir). */
function baseDir(ctx: EventContext, t: ThreadInfo, info: EventParamInfo): string {
  if (info.type !== 'FSRELPATH' || info.dirfdParam === undefined) return ctx.state.cwdOf(t);
  const v = ctx.view;
  const d = info.dirfdParam;
  if (d >= v.nparams || v.paramInfo[d]?.type !== 'FD') return ctx.state.cwdOf(t);
  const dirfd = v.int(d);
  if (dirfd === AT_FDCWD) return ctx.state.cwdOf(t);
  const name = t.fds.get(dirfd)?.name ?? '';
  return name === '' ? '' : dropControlBytes(name) + '/';
}

function uidText(ctx: EventContext, t: ThreadInfo | undefined, id: number, out: ParamText, group: boolean): void {
  if (id === 0xffffffff) {
    out.raw = '-1';
    out.resolved = '<NONE>';
    return;
  }
  out.raw = String(id | 0);
  if (!t) {
    out.resolved = '<NA>';
    return;
  }
  const users = ctx.state.users;
  if (group) out.resolved = users.groupName(t.containerId, id);
  // A host uid 0 the capture did not list is still root: libsinsp asks the host's passwd.
  else out.resolved = users.user(t.containerId, id)?.name ?? (id === 0 && t.containerId === '' ? 'root' : '<NA>');
}

function sockaddrText(b: Uint8Array): string {
  const family = b[0]!;
  if (family === PPM_AF_UNIX) return dropControlBytes(cStringAt(b, 1));
  if (family === PPM_AF_INET) return b.length === 7 ? `${ipAddrText(b.subarray(1, 5))}:${port(b, 5)}` : 'INVALID IPv4';
  if (family === PPM_AF_INET6) return b.length === 19 ? `${ipAddrText(b.subarray(1, 17))}:${port(b, 17)}` : 'INVALID IPv6';
  return `family ${family}`;
}

/** IPv4-mapped, or all zero (libsinsp assumes IPv4 then too). */
function v4Mapped(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 10; i++) if (b[at + i] !== 0) return false;
  if (b[at + 10] === 0xff && b[at + 11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (b[at + i] !== 0) return false;
  return true;
}

function socktupleText(b: Uint8Array): string {
  const family = b[0]!;
  if (family === PPM_AF_INET) {
    if (b.length !== 13) return 'INVALID IPv4';
    return `${ipAddrText(b.subarray(1, 5))}:${port(b, 5)}->${ipAddrText(b.subarray(7, 11))}:${port(b, 11)}`;
  }
  if (family === PPM_AF_INET6) {
    if (b.length !== 37) return 'INVALID IPv6';
    if (v4Mapped(b, 1) && v4Mapped(b, 19)) {
      return `${ipAddrText(b.subarray(13, 17))}:${port(b, 17)}->${ipAddrText(b.subarray(31, 35))}:${port(b, 35)}`;
    }
    return `${ipAddrText(b.subarray(1, 17))}:${port(b, 17)}->${ipAddrText(b.subarray(19, 35))}:${port(b, 35)}`;
  }
  if (family === PPM_AF_UNIX) {
    if (b.length < 17) return `family ${family}`;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return `${dv.getBigUint64(1, true).toString(16)}->${dv.getBigUint64(9, true).toString(16)} ${dropControlBytes(cStringAt(b, 17))}`;
  }
  return `family ${family}`;
}

function fdlistText(t: ThreadInfo | undefined, b: Uint8Array): string {
  if (!t || b.length < 2) return '';
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(0, true);
  let out = '';
  for (let j = 0, at = 2; j < n && at + 10 <= b.length; j++, at += 10) {
    const fd = dv.getBigInt64(at, true);
    const f = t.fds.get(Number(fd));
    const flags = dv.getInt16(at + 8, true) >>> 0;
    out += `${j > 0 ? ' ' : ''}${BigInt.asUintN(64, fd)}:${f ? FD_TYPECHAR[f.type] ?? '?' : '?'}${flags.toString(16)}`;
  }
  return out;
}

function sigsetText(mask: number): string {
  let out = '';
  for (let sig = 0; sig < 32; sig++) {
    if (!((mask >>> sig) & 1)) continue;
    const name = signalName(sig + 1);
    if (name) out = out === '' ? name : `${out} ${name}`;
  }
  return out;
}

const port = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);

/** Printable bytes kept, the others shown as `.` (libsinsp's default buffer format). */
export function dotsText(s: string): string {
  return /[^\x20-\x7e]/.test(s) ? s.replace(/[^\x20-\x7e]/g, '.') : s;
}

/** Renders one value of type `type` (the parameter's own type, or a DYN's sub-type). */
function renderTyped(ctx: EventContext, i: number, type: string, info: EventParamInfo, out: ParamText, skip: number): void {
  const v = ctx.view;
  const t = ctx.state.tinfo;
  const fmt = info.fmt;
  // DYN values are read past their index byte.
  const bytes = skip ? v.bytes(i).subarray(skip) : undefined;
  switch (type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      out.raw = formatInteger(BigInt(num(v, i, bytes, true)), fmt, type === 'INT8' ? 8 : type === 'INT16' ? 16 : 32);
      return;
    case 'INT64':
      out.raw = formatInteger(big(v, i, bytes, true), fmt, 64);
      return;
    case 'UINT8':
    case 'UINT16':
      out.raw = formatInteger(BigInt(num(v, i, bytes, false)), fmt, type === 'UINT8' ? 8 : 16);
      return;
    case 'UINT32':
      // printed with %d: values past 2^31 show negative, as in libsinsp
      out.raw = formatInteger(BigInt(num(v, i, bytes, fmt === 'DEC' || fmt === 'NA')), fmt, 32);
      return;
    case 'UINT64':
      // and 64-bit values past 2^63 too
      out.raw = formatInteger(big(v, i, bytes, fmt === 'DEC' || fmt === 'NA'), fmt, 64);
      return;
    case 'FD':
    case 'FD32': {
      const fd = num(v, i, bytes, true);
      out.raw = String(fd);
      out.resolved = type === 'FD' ? fdResolved(t, fd) : '';
      return;
    }
    case 'PID':
    case 'PID32': {
      const pid = num(v, i, bytes, true);
      out.raw = String(pid);
      out.resolved = type === 'PID' ? ctx.state.findThread(pid)?.comm ?? '' : '';
      return;
    }
    case 'ERRNO': {
      const e = num(v, i, bytes, true);
      out.raw = String(e);
      out.resolved = e < 0 ? errnoName(e) : '';
      return;
    }
    case 'FLAGS8':
    case 'FLAGS16':
    case 'FLAGS32': {
      const f = num(v, i, bytes, false);
      out.raw = String(f);
      out.resolved = flagsText(f, info.flagTable);
      return;
    }
    case 'ENUMFLAGS8':
    case 'ENUMFLAGS16':
    case 'ENUMFLAGS32': {
      const f = num(v, i, bytes, false);
      out.raw = String(f);
      out.resolved = enumFlagsText(f, info.flagTable);
      return;
    }
    case 'MODE': {
      const m = num(v, i, bytes, false);
      out.raw = formatInteger(BigInt(m), fmt, 32);
      out.resolved = modeText(m, info.flagTable);
      return;
    }
    case 'UID':
    case 'GID':
      uidText(ctx, t, num(v, i, bytes, false), out, type === 'GID');
      return;
    case 'CHARBUF':
      out.raw = bytes ? cStringAt(bytes, 0) : stringParam(v, i);
      return;
    case 'FSPATH':
    case 'FSRELPATH': {
      const path = stringParam(v, i);
      out.raw = dropControlBytes(path);
      if (!t) out.resolved = out.raw;
      else if (path !== '<NA>' && path !== '' && !path.startsWith('/')) out.resolved = dropControlBytes(concatenatePaths(baseDir(ctx, t, info), path));
      return;
    }
    case 'BYTEBUF':
      out.raw = dotsText(bytes ? Buffer.from(bytes).toString('latin1') : v.text(i));
      return;
    case 'SOCKADDR':
      out.raw = sockaddrText(bytes ?? v.bytes(i));
      return;
    case 'SOCKTUPLE':
      out.raw = socktupleText(bytes ?? v.bytes(i));
      return;
    case 'FDLIST':
      out.raw = fdlistText(t, bytes ?? v.bytes(i));
      return;
    case 'SYSCALLID': {
      const sc = num(v, i, bytes, false);
      if (sc >= MAX_PPM_SC) out.raw = '<unknown syscall>';
      else {
        out.raw = String(sc);
        out.resolved = syscallName(sc);
      }
      return;
    }
    case 'SIGTYPE': {
      const sig = num(v, i, bytes, false);
      out.raw = String(sig);
      out.resolved = signalName(sig);
      return;
    }
    case 'RELTIME': {
      const ns = big(v, i, bytes, false);
      if (ns === 0xffffffffffffffffn) out.raw = 'none';
      else {
        out.raw = ns.toString();
        out.resolved = `${formatG(Number(ns) / 1e9)}s`;
      }
      return;
    }
    case 'ABSTIME':
      out.raw = localDateTime(big(v, i, bytes, false));
      return;
    case 'SIGSET':
      out.raw = sigsetText(num(v, i, bytes, false));
      return;
    case 'PORT':
      out.raw = formatInteger(BigInt(num(v, i, bytes, false)), fmt, 16);
      return;
    case 'IPV4ADDR':
    case 'IPV6ADDR':
      out.raw = ipAddrText(bytes ?? v.bytes(i));
      return;
    default:
      out.raw = '(n.a.)';
  }
}

/** An integer parameter (or the value of a DYN parameter, past its index byte). */
function num(v: EventView, i: number, bytes: Uint8Array | undefined, signed: boolean): number {
  return bytes ? readInt(bytes, signed) : v.int(i, signed);
}

function big(v: EventView, i: number, bytes: Uint8Array | undefined, signed: boolean): bigint {
  return bytes ? readBig(bytes, signed) : v.bigint(i, signed);
}

function readInt(b: Uint8Array, signed: boolean): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (b.length) {
    case 1:
      return signed ? dv.getInt8(0) : dv.getUint8(0);
    case 2:
      return signed ? dv.getInt16(0, true) : dv.getUint16(0, true);
    case 4:
      return signed ? dv.getInt32(0, true) : dv.getUint32(0, true);
    case 8:
      return Number(signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true));
    default:
      return 0;
  }
}

function readBig(b: Uint8Array, signed: boolean): bigint {
  if (b.length !== 8) return BigInt(readInt(b, signed));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true);
}

/** Renders parameter `i` of the current event into `out`. */
export function renderParam(ctx: EventContext, i: number, out: ParamText): void {
  out.raw = '';
  out.resolved = '';
  const v = ctx.view;
  const info = v.paramInfo[i];
  if (!info) {
    out.raw = dotsText(v.text(i));
    return;
  }
  let type = info.type;
  const len = v.paramLength(i);
  if (len === 0 && !LEGACY_NULL.has(type)) {
    out.raw = NULL_WHEN_EMPTY.has(type) ? 'NULL' : '<NA>';
    return;
  }
  if (type === 'DYN') {
    const sub = DYN_TYPES[v.name]?.[v.bytes(i)[0]!];
    type = sub ?? (len === 9 ? 'UINT64' : 'CHARBUF');
    renderTyped(ctx, i, type, info, out, 1);
    return;
  }
  renderTyped(ctx, i, type, info, out, 0);
}

const scratch: ParamText = { raw: '', resolved: '' };

/** What evt.arg shows: the resolved text when there is one, else the raw text. */
export function paramText(ctx: EventContext, i: number): string {
  renderParam(ctx, i, scratch);
  return scratch.resolved !== '' ? scratch.resolved : scratch.raw;
}

/** evt.args: `name=raw` or `name=raw(resolved)` for every parameter, space-separated. */
export function argsText(ctx: EventContext): string {
  const v = ctx.view;
  if (v.type === GENERIC_EXIT) return '';
  const infos = v.paramInfo;
  let out = '';
  for (let i = 0; i < v.nparams; i++) {
    renderParam(ctx, i, scratch);
    const name = infos[i]?.name ?? `arg${i}`;
    out += `${i > 0 ? ' ' : ''}${name}=${scratch.raw}${scratch.resolved !== '' ? `(${scratch.resolved})` : ''}`;
  }
  return out;
}
