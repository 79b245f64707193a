// /proc files as byte strings (latin1); undefined when the file is gone or unreadable, as
// happens to any process that ends while the scan runs.
import { readFileSync } from 'node:fs';

export function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}
