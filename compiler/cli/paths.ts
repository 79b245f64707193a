// Default locations the CLI falls back to.
import { resolve } from 'node:path';

/** $FALCOC_CONFORMANCE_DIR, else ../shared/conformance next to the project checkout. */
export function defaultConformanceDir(): string {
  return process.env.FALCOC_CONFORMANCE_DIR ?? resolve(process.cwd(), '../shared/conformance');
}
