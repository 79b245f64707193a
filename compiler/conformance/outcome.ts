// Results of conformance cases, shared by the per-file runners.

export type CaseOutcome = { status: 'pass' } | { status: 'fail'; reason: string } | { status: 'skip'; reason: string };

export interface CaseResult {
  id: string;
  outcome: CaseOutcome;
}

/** Thrown by a case check to fail the case with a reason. */
export class CaseFailure extends Error {}

export function expect(cond: boolean, reason: string): void {
  if (!cond) throw new CaseFailure(reason);
}

export const PASS: CaseOutcome = { status: 'pass' };

/** Runs one case check, turning failures and crashes into outcomes. */
export function runCase(id: string, check: () => CaseOutcome | void): CaseResult {
  try {
    return { id, outcome: check() ?? PASS };
  } catch (e) {
    const reason = e instanceof CaseFailure ? e.message : `crashed: ${(e as Error).stack ?? String(e)}`;
    return { id, outcome: { status: 'fail', reason } };
  }
}

/** JSON for messages; `bigints` prints bigint values as numbers. */
export const json = (v: unknown, bigints = false) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? (bigints ? Number(x) : `${x}n`) : x));
