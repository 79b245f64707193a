// Which syscalls a live session captures: the driver attaches its handlers to those syscalls'
// exit tracepoints only, so a syscall left out costs its callers nothing beyond the kernel's
// tracing slow path and never reaches the ring buffer.
import { EVENTS } from '../events/event-table.ts';
import { STATE_EVENT_NAMES } from '../state/event-parser.ts';
import { DRIVER_SYSCALLS, DriverError, availableSyscalls, liveCaptureProblems } from './native-driver.ts';

/** Every syscall the driver can capture on this kernel (what `falcoc capture` records); a
 * kernel without modules, say, has no init_module tracepoint. */
export const allDriverSyscalls = (): string[] => {
  // What is missing first: without root, tracefs cannot even be read.
  const problems = liveCaptureProblems();
  if (problems.length) throw new DriverError(problems.join('; '));
  const have = availableSyscalls();
  return Object.keys(DRIVER_SYSCALLS).filter((s) => have.has(s));
};

/**
 * What `falcoc run` captures for a ruleset: the syscalls whose events it can match (`wants`:
 * the bundle's event-type index — its manifest's kernel_event_types — or the interpreter's)
 * and those state keeping reads, so fields such as fd.name and proc.pname stay right.
 */
export function syscallsForRules(wants: (code: number) => boolean, available: readonly string[] = allDriverSyscalls()): string[] {
  const needed = syscallsOf((e) => wants(e.code) || STATE_EVENT_NAMES.has(e.name));
  return available.filter((s) => needed.has(s));
}

/** The syscalls behind the syscall events `pick` keeps (an event's name is not always its
 * syscall's: prlimit is prlimit64). */
export function syscallsOf(pick: (e: (typeof EVENTS)[number]) => boolean): Set<string> {
  return new Set(EVENTS.filter((e) => e.kind === 'syscall' && pick(e)).flatMap((e) => e.syscalls ?? [e.name]));
}
