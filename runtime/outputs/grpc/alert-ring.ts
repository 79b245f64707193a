// The alerts gRPC's `get` hands out: a ring of the newest `capacity` alerts since the last `get`.
import type { Alert } from '../../format/alert.ts';

/** `get`'s alerts: a ring of the newest `capacity`, kept as they came (encoded only when asked). */
export class AlertRing {
  private readonly texts: (string | undefined)[];
  private readonly metas: (Alert | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.texts = new Array(capacity);
    this.metas = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** False when the oldest alert had to make room. */
  push(text: string, meta: Alert): boolean {
    const full = this.count === this.capacity;
    const at = (this.start + this.count) % this.capacity;
    this.texts[at] = text;
    this.metas[at] = meta;
    if (full) this.start = (this.start + 1) % this.capacity;
    else this.count++;
    return !full;
  }

  /** Empties the ring, oldest first. */
  *drain(): Generator<[string, Alert]> {
    while (this.count > 0) {
      const at = this.start;
      const item: [string, Alert] = [this.texts[at]!, this.metas[at]!];
      this.texts[at] = this.metas[at] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      yield item;
    }
  }
}
