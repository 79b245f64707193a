// What an extractor reads: the system state (already updated by the event's parser) and the
// event itself. Extractors are compiled once per field reference and called once per event.
import type { EventView } from '../events/event-view.ts';
import type { FieldInfo } from '../fields/field-info.ts';
import type { Extracted } from '../operators/values.ts';
import type { SystemState } from '../state/system-state.ts';

export interface EventContext {
  state: SystemState;
  view: EventView;
}

export type Extractor = (ctx: EventContext) => Extracted;

/**
 * Where a value is used. The ancestor fields without an index (`proc.aname`, …) differ: a
 * condition tests every ancestor (the extractor gives the list), an output shows them
 * space-joined.
 */
export type ExtractMode = 'filter' | 'output';

/** One field reference as the checker resolved it (`proc.aname[2]`: arg "2", argIndex 2). */
export interface FieldRef {
  field: FieldInfo;
  arg?: string | undefined;
  argIndex?: number | undefined;
}

/** Builds the extractor of one field reference. */
export type ExtractorFactory = (ref: FieldRef, mode: ExtractMode) => Extractor;

export const noValue: Extractor = () => undefined;
