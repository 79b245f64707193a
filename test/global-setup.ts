// Builds the bundled CLI once, so tests run the same `falcoc` users run.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['compiler/cli/bundle.mjs'], { stdio: 'inherit' });
}
