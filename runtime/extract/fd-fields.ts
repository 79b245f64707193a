// fd.*: the fd an fd-related event (creates, uses or destroys an fd) refers to. Other events
// have no fd values at all. Socket fields follow libsinsp's orientation: the entry keeps the
// client as s-side and the server as d-side; l/r (local/remote) depend on whether the s-side
// address belongs to this machine (or, for a containerised thread, to its container).
import { bigintOf } from './small-bigint.ts';
import type { Extracted, IpAddress, Value } from '../operators/values.ts';
import { FD_TYPECHAR, FD_TYPENAME, isIpSocket, isServerSocket, type FdInfo } from '../state/fd.ts';
import { ipAddrText } from '../state/fd-names.ts';
import type { ThreadInfo } from '../state/thread.ts';
import type { EventContext, Extractor, ExtractorFactory } from './context.ts';
import { containerIp } from './container-records.ts';
import { hasReturnValue, returnValue } from './event-traits.ts';
import { eventFd, fdEventThread, fdNameFromEvent, typecharFromEvent } from './fd-lookup.ts';
import { collapseSlashes } from './path-concat.ts';

const FD_UPPER_LAYER = 32768;
const FD_LOWER_LAYER = 65536;

type FdExtractor = (ctx: EventContext, t: ThreadInfo, f: FdInfo | undefined) => Extracted;

/** Runs `f` for fd events with a thread, with the event's fd entry (possibly missing). */
const fdField = (f: FdExtractor): ExtractorFactory => (): Extractor => (ctx) => {
  const t = fdEventThread(ctx);
  return t ? f(ctx, t, eventFd(ctx, t)) : undefined;
};

/** Like fdField, for fields that need the fd entry. */
const withFd = (f: (ctx: EventContext, t: ThreadInfo, fd: FdInfo) => Extracted): ExtractorFactory =>
  fdField((ctx, t, fd) => (fd ? f(ctx, t, fd) : undefined));

const ip = (a: Uint8Array | undefined): IpAddress | undefined => (a ? { family: a.length === 4 ? 4 : 6, addr: a } : undefined);
const isFile = (f: FdInfo) => f.type === 'file' || f.type === 'file_v2';
const hasRole = (f: FdInfo) => f.role !== undefined;
const ZERO4 = new Uint8Array(4);
const ZERO16 = new Uint8Array(16);
const zeroFor = (f: FdInfo) => (f.type === 'ipv6_sock' || f.type === 'ipv6_servsock' ? ZERO16 : ZERO4);

/** Whether an address is this machine's: an interface address, or the container's own IP. */
function isLocal(ctx: EventContext, t: ThreadInfo, addr: Uint8Array | undefined): boolean {
  if (!addr) return false;
  if (t.containerId !== '') {
    const own = containerIp(ctx.state, t.containerId);
    return own !== '' && own === ipAddrText(addr);
  }
  return ctx.state.isLocalAddress(addr);
}

/** fd.name, including libsinsp's rule that a failed connect shows the event's tuple. */
function fdName(ctx: EventContext, t: ThreadInfo, f: FdInfo | undefined): string | undefined {
  if (ctx.view.name === 'connect' && hasReturnValue(ctx.view) && returnValue(ctx.view) < 0) return fdNameFromEvent(ctx, t, false);
  return f ? f.name : fdNameFromEvent(ctx, t, false);
}

function fdDirectory(ctx: EventContext, t: ThreadInfo, f: FdInfo | undefined): string | undefined {
  if (!f) return fdNameFromEvent(ctx, t, false);
  if (f.type === 'directory') return f.name;
  if (!isFile(f)) return undefined;
  const name = f.name;
  const pos = lastSlash(name);
  if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
  return '/';
}

/**
 * name.lastIndexOf('/'): V8 runs that as a runtime call (~40 ns on a fresh path), while the
 * base name this scans back over is usually a few characters.
 */
function lastSlash(name: string): number {
  let i = name.length - 1;
  while (i >= 0 && name.charCodeAt(i) !== 0x2f) i--;
  return i;
}

/** Local/remote side of an IP socket with a role (l: the s-side when it is local). */
function localRemote<T>(side: 'l' | 'r', pick: (f: FdInfo, s: boolean) => T): FdExtractor {
  return (ctx, t, f) => {
    if (!f || !isIpSocket(f.type) || !hasRole(f)) return undefined;
    const local = isLocal(ctx, t, f.sip);
    return pick(f, side === 'l' ? local : !local) as Extracted;
  };
}

/** Both endpoints for the filter-only fd.ip / fd.net / fd.port / fd.proto (one for servers). */
function endpoints(of: (f: FdInfo, s: boolean) => Value): FdExtractor {
  return (_ctx, _t, f) => {
    if (!f) return undefined;
    if (isServerSocket(f.type)) return [of(f, true)];
    return isIpSocket(f.type) ? [of(f, true), of(f, false)] : [];
  };
}

const addrOf = (f: FdInfo, s: boolean): IpAddress => ip((s ? f.sip : f.dip) ?? zeroFor(f))!;
const portOf = (f: FdInfo, s: boolean): bigint => bigintOf(s ? f.sport : f.dport);

const clientIp: FdExtractor = (_c, _t, f) => (f && hasRole(f) && isIpSocket(f.type) ? addrOf(f, true) : undefined);
const serverIp: FdExtractor = (_c, _t, f) => {
  if (!f || !hasRole(f)) return undefined;
  return isIpSocket(f.type) ? addrOf(f, false) : isServerSocket(f.type) ? addrOf(f, true) : undefined;
};
const localIp = localRemote('l', (f, s) => addrOf(f, s));
const remoteIp = localRemote('r', (f, s) => addrOf(f, s));

function l4protoText(f: FdInfo): string {
  return f.l4proto ?? '<NA>';
}

/** fd.types: every open fd's type once (fd.types[N]: fd N's), in fd order. */
const fdTypes: ExtractorFactory = (ref) => {
  const n = ref.argIndex;
  return (ctx) => {
    const t = fdEventThread(ctx);
    if (!t) return undefined;
    if (n !== undefined) {
      const f = t.fds.get(n);
      return f ? [FD_TYPENAME[f.type]] : undefined;
    }
    const seen = new Set<string>();
    for (const fd of [...t.fds.fds.keys()].sort((a, b) => a - b)) seen.add(FD_TYPENAME[t.fds.get(fd)!.type]);
    return [...seen];
  };
};

// Major and minor numbers of a kernel dev_t (new encoding).
const devMajor = (dev: number) => (dev & 0xfff00) >>> 8;
const devMinor = (dev: number) => (dev & 0xff) | ((dev >>> 12) & 0xfff00);

export const FD_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'fd.num': fdField((ctx) => bigintOf(ctx.state.lastEventFd)),
  'fd.type': withFd((_c, _t, f) => FD_TYPENAME[f.type]),
  'fd.typechar': fdField((ctx, _t, f) => (f ? FD_TYPECHAR[f.type] : typecharFromEvent(ctx.view.type))),
  'fd.name': fdField(fdName),
  'fd.directory': fdField(fdDirectory),
  'fd.filename': withFd((_c, _t, f) => {
    if (!isFile(f)) return undefined;
    const pos = lastSlash(f.name);
    if (pos < 0) return '/';
    return pos < f.name.length - 1 ? f.name.slice(pos + 1) : f.name;
  }),
  'fd.ip': fdField(endpoints(addrOf)),
  'fd.cip': fdField(clientIp),
  'fd.sip': fdField(serverIp),
  'fd.lip': fdField(localIp),
  'fd.rip': fdField(remoteIp),
  'fd.port': fdField(endpoints(portOf)),
  'fd.cport': fdField((_c, _t, f) => (f && hasRole(f) && isIpSocket(f.type) ? portOf(f, true) : undefined)),
  'fd.sport': fdField((_c, _t, f) => {
    if (!f) return undefined;
    if (isServerSocket(f.type)) return portOf(f, true);
    return isIpSocket(f.type) && hasRole(f) ? portOf(f, false) : undefined;
  }),
  'fd.lport': fdField(localRemote('l', portOf)),
  'fd.rport': fdField(localRemote('r', portOf)),
  'fd.l4proto': withFd((_c, _t, f) => l4protoText(f)),
  'fd.sockfamily': withFd((_c, _t, f) => (isIpSocket(f.type) || isServerSocket(f.type) ? 'ip' : f.type === 'unix_sock' ? 'unix' : undefined)),
  'fd.is_server': withFd((ctx, t, f) => (isServerSocket(f.type) ? true : isIpSocket(f.type) ? isLocal(ctx, t, f.dip) : false)),
  'fd.uid': fdField((ctx, t) => `${t.tid}${ctx.state.lastEventFd}`),
  'fd.containername': fdField((ctx, t, f) => {
    const n = fdName(ctx, t, f);
    return n === undefined ? undefined : `${t.containerId}:${n}`;
  }),
  'fd.containerdirectory': fdField((ctx, t, f) => {
    const d = fdDirectory(ctx, t, f);
    return d === undefined ? undefined : `${t.containerId}:${d}`;
  }),
  // Port "names": numbers, as Falco runs without port name resolution. Non-socket types give ''.
  'fd.proto': fdField(endpoints(portOf)),
  'fd.cproto': withFd((_c, _t, f) => (!hasRole(f) ? undefined : isIpSocket(f.type) ? String(f.sport) : '')),
  'fd.sproto': withFd((_c, _t, f) => {
    if (isIpSocket(f.type)) return hasRole(f) ? String(f.dport) : undefined;
    return isServerSocket(f.type) ? '' : undefined;
  }),
  'fd.lproto': fdField(localRemote('l', (f, s) => String(s ? f.sport : f.dport))),
  'fd.rproto': fdField(localRemote('r', (f, s) => String(s ? f.sport : f.dport))),
  'fd.net': fdField(endpoints(addrOf)),
  'fd.cnet': fdField(clientIp),
  'fd.snet': fdField(serverIp),
  'fd.lnet': fdField(localIp),
  'fd.rnet': fdField(remoteIp),
  'fd.connected': withFd((_c, _t, f) => f.connected),
  'fd.name_changed': withFd((ctx) => ctx.state.nameChanged),
  // Host names of addresses come from live DNS watching, which replay does not have.
  'fd.cip.name': fdField(() => undefined),
  'fd.sip.name': fdField(() => undefined),
  'fd.lip.name': fdField(() => undefined),
  'fd.rip.name': fdField(() => undefined),
  'fd.dev': withFd((_c, _t, f) => bigintOf(f.dev >>> 0)),
  'fd.dev.major': withFd((_c, _t, f) => bigintOf(devMajor(f.dev))),
  'fd.dev.minor': withFd((_c, _t, f) => bigintOf(devMinor(f.dev))),
  'fd.ino': withFd((_c, _t, f) => BigInt.asIntN(64, f.ino)),
  'fd.nameraw': fdField((ctx, t, f) => {
    const n = f ? f.nameRaw : fdNameFromEvent(ctx, t, true);
    return n === undefined ? undefined : collapseSlashes(n);
  }),
  'fd.types': fdTypes,
  'fd.is_upper_layer': withFd((_c, _t, f) => (f.openFlags & FD_UPPER_LAYER) !== 0),
  'fd.is_lower_layer': withFd((_c, _t, f) => (f.openFlags & FD_LOWER_LAYER) !== 0),
};
