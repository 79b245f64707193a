// fdlist.*: the fds of a poll-family event's FDLIST parameter, comma-separated.
import { isIpSocket, type FdInfo } from '../state/fd.ts';
import { ipAddrText } from '../state/fd-names.ts';
import type { ExtractorFactory, Extractor } from './context.ts';

/** One text per listed fd, or undefined to leave the fd out. */
type Pick = (fd: bigint, f: FdInfo | undefined) => string | undefined;

const ipSock = (f: FdInfo | undefined): f is FdInfo => f !== undefined && isIpSocket(f.type) && f.role !== undefined;

function fdlist(pick: Pick): ExtractorFactory {
  return (): Extractor => (ctx) => {
    const v = ctx.view;
    const t = ctx.state.tinfo;
    const i = v.paramIndex('fds');
    if (!t || i < 0 || i >= v.nparams || v.paramInfo[i]?.type !== 'FDLIST') return undefined;
    const b = v.bytes(i);
    if (b.length < 2) return undefined;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out: string[] = [];
    for (let j = 0, at = 2; j < dv.getUint16(0, true) && at + 10 <= b.length; j++, at += 10) {
      const fd = dv.getBigInt64(at, true);
      const s = pick(fd, t.fds.get(Number(fd)));
      if (s !== undefined) out.push(s);
    }
    return out.length === 0 ? undefined : out.join(',');
  };
}

export const FDLIST_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'fdlist.nums': fdlist((fd) => fd.toString()),
  'fdlist.names': fdlist((_fd, f) => (f && f.name !== '' ? f.name : undefined)),
  'fdlist.cips': fdlist((_fd, f) => (ipSock(f) && f.sip ? ipAddrText(f.sip) : undefined)),
  'fdlist.sips': fdlist((_fd, f) => (ipSock(f) && f.dip ? ipAddrText(f.dip) : undefined)),
  'fdlist.cports': fdlist((_fd, f) => (ipSock(f) ? String(f.sport) : undefined)),
  'fdlist.sports': fdlist((_fd, f) => (ipSock(f) ? String(f.dport) : undefined)),
};
