// Builds what field extraction reads: a system state with hand-made threads and fds, and one
// encoded event viewed as the replay loop views it. Fields are resolved as the checker does.
import { EVENTS } from '../../../runtime/events/event-table.ts';
import { EventView } from '../../../runtime/events/event-view.ts';
import { EventEncoder, type ParamValue } from '../../../runtime/capture/event-encoder.ts';
import { SystemState } from '../../../runtime/state/system-state.ts';
import { ThreadInfo } from '../../../runtime/state/thread.ts';
import { FdInfo } from '../../../runtime/state/fd.ts';
import { catalogFor } from '../../../runtime/fields/catalog.ts';
import { resolveField } from '../../../compiler/check/field-resolve.ts';
import { compileExtractor } from '../../../runtime/extract/registry.ts';
import type { EventContext, ExtractMode } from '../../../runtime/extract/context.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';

const catalog = catalogFor('syscall')!;

export function code(enumName: string): number {
  const c = EVENTS.findIndex((e) => e.enum === enumName);
  if (c < 0) throw new Error(`no event ${enumName}`);
  return c;
}

/** `proc.aname[2]` → the checker's resolution of it. */
export function ref(written: string) {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(written)!;
  return resolveField(m[1]!, m[2], catalog);
}

export const v4 = (s: string) => Uint8Array.from(s.split('.').map(Number));

export interface EventOptions {
  ts?: bigint;
  /** The event's fd entry and number, as the parser leaves them. */
  fdinfo?: FdInfo;
  fd?: number;
  nameChanged?: boolean;
}

export class Harness {
  readonly state = new SystemState();
  readonly view = new EventView();
  readonly ctx: EventContext = { state: this.state, view: this.view };
  private readonly enc = new EventEncoder();

  constructor() {
    this.state.evtNum = 75;
  }

  thread(props: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
    const t = new ThreadInfo();
    Object.assign(t, { pid: props.tid, ptid: 1, vtid: props.tid, vpid: props.tid, uid: 0, gid: 0, loginuid: 0xffffffff }, props);
    this.state.addThread(t);
    return t;
  }

  /** Points the view at a new event of `enumName`; unnamed parameters are empty. */
  event(enumName: string, tid: number, params: Record<string, ParamValue>, o: EventOptions = {}): this {
    const c = code(enumName);
    const info = EVENTS[c]!;
    for (const k of Object.keys(params)) if (!info.params.some((p) => p.name === k)) throw new Error(`${enumName} has no ${k}`);
    const bytes = this.enc.encode(o.ts ?? 1_795_457_770_262_058_253n, BigInt(tid), c, info.params.map((p) => params[p.name] ?? null));
    this.view.reset(bytes.slice(), 0, bytes.length);
    const meta = info.kind === 'metaevent';
    this.state.tinfo = meta ? undefined : this.state.findThread(tid);
    this.state.fdinfo = o.fdinfo;
    this.state.lastEventFd = o.fd ?? -1;
    this.state.nameChanged = o.nameChanged ?? false;
    return this;
  }

  get(written: string, mode: ExtractMode = 'filter'): Extracted {
    return compileExtractor(ref(written), mode)(this.ctx);
  }
}

export function fdOf(props: Partial<FdInfo>): FdInfo {
  const f = new FdInfo();
  Object.assign(f, props);
  if (props.name !== undefined && props.nameRaw === undefined) f.nameRaw = props.name;
  return f;
}
