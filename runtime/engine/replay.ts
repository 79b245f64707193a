// Replay: a capture file through the system state and the rules, as `falco -o
// engine.kind=replay` does. The capture's tables seed the state; each event updates it, then
// the rules for its type are evaluated and alerts handed to the caller in event order.
import { readCapture, type CaptureHandlers, type CaptureProgress, type CaptureSource } from '../capture/capture-reader.ts';
import { CaptureError } from '../capture/capture-error.ts';
import { EventFormatError, EventView } from '../events/event-view.ts';
import { EVENTS } from '../events/event-table.ts';
import { SystemState } from '../state/system-state.ts';
import { EventParser } from '../state/event-parser.ts';
import type { Alert } from '../format/alert.ts';
import type { EngineSource, MatchedRule, RuleEngine } from './rule-engine.ts';

export interface ReplayOptions {
  engine: RuleEngine;
  /** Field extraction over the state and the current event (one source, reused for every event). */
  fieldSource(state: SystemState, view: EventView): EngineSource;
  /** The alert's `hostname` (Falco: the replaying machine's). */
  hostname: string;
  onAlert(alert: Alert): void;
  onProgress?(p: CaptureProgress & { events: number; alerts: number }): void;
  /** Thread table cap (default: libsinsp's 262144). */
  maxThreads?: number;
}

export interface ReplaySummary {
  /** Events handed to the rules (Falco's "Captured Events"). */
  events: number;
  /** Every event record of the file, the leading user/group/container records included. */
  eventsRead: number;
  eventsByType: Record<string, number>;
  alerts: number;
  alertsByRule: Record<string, number>;
  elapsedS: number;
  eventsPerS: number;
  threads: number;
  stateCounters: SystemState['counters'];
  /** The state at the end (for tests and `--summary-file` consumers). */
  state: SystemState;
  /** Set when the capture turned out damaged: everything before `error.offset` was replayed. */
  error?: CaptureError;
}

/** The capture handlers that seed the state from the capture's tables (machine, threads, fds, users, interfaces). */
export function seedingHandlers(state: SystemState): Omit<CaptureHandlers, 'event'> {
  return {
    machineInfo(mi) {
      state.bootTime = mi.bootTimeNs;
      state.hostname = mi.hostname;
    },
    thread: (t) => state.seedThread(t),
    fd: (f) => state.seedFd(f),
    user: (u) => state.users.addUser(u.containerId, u),
    group: (g) => state.users.addGroup(g.containerId, g),
    networkInterface: (i) => void state.interfaces.push(i),
    tablesDone: () => state.finishSeeding(),
  };
}

export async function replayCapture(source: CaptureSource, opts: ReplayOptions): Promise<ReplaySummary> {
  const start = process.hrtime.bigint();
  const state = new SystemState(opts.maxThreads);
  const parser = new EventParser(state);
  const view = new EventView();
  const src = opts.fieldSource(state, view);
  const engine = opts.engine;
  const typeCounts = new Float64Array(EVENTS.length);
  const alertsByRule: Record<string, number> = {};
  let delivered = 0;
  let read = 0;
  let alerts = 0;
  let error: CaptureError | undefined;
  const onMatch = (r: MatchedRule) => {
    alerts++;
    alertsByRule[r.name] = (alertsByRule[r.name] ?? 0) + 1;
    opts.onAlert(engine.alertFor(r, view.ts, src, opts.hostname));
  };
  // A damaged capture ends the replay, not the run: alerts already raised stand, and the
  // caller gets the summary of what was read together with the error.
  try {
    await readCapture(
      source,
      {
        ...seedingHandlers(state),
        event(slice) {
          read++;
          try {
            view.reset(slice.data, slice.offset, slice.length, slice.littleEndian);
            if (!parser.process(view)) return;
          } catch (e) {
            if (e instanceof EventFormatError) throw new CaptureError(`event block at byte ${slice.blockOffset}: ${e.message}`, slice.blockOffset);
            throw e;
          }
          delivered++;
          const code = view.type;
          typeCounts[code]!++;
          if (!engine.wants(code)) return;
          engine.evaluate(code, src, onMatch);
        },
      },
      opts.onProgress ? { onProgress: (p) => opts.onProgress!({ ...p, events: delivered, alerts }) } : {},
    );
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    error = e;
  }
  const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
  const eventsByType: Record<string, number> = {};
  typeCounts.forEach((n, code) => {
    if (n > 0) eventsByType[EVENTS[code]!.name] = (eventsByType[EVENTS[code]!.name] ?? 0) + n;
  });
  return {
    events: delivered,
    eventsRead: read,
    eventsByType,
    alerts,
    alertsByRule,
    elapsedS,
    eventsPerS: elapsedS > 0 ? delivered / elapsedS : 0,
    threads: state.threads.size,
    stateCounters: state.counters,
    state,
    ...(error ? { error } : {}),
  };
}
