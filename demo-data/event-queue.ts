/**
 * Binary min-heap of integer ids keyed by time, in typed arrays: the transaction generator keeps every active
 * customer's next purchase here so the output comes out in date order without holding the rows.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  private ids = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0] : Infinity;
  }

  push(id: number, time: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const ids = this.ids;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent] <= time) break;
      times[i] = times[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = time;
    ids[i] = id;
  }

  /** Removes the earliest event and returns its id (−1 when empty). */
  pop(): number {
    if (this.count === 0) return -1;
    const times = this.times;
    const ids = this.ids;
    const top = ids[0];
    const n = --this.count;
    const time = times[n];
    const id = ids[n];
    let i = 0;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1] < times[child]) child++;
      if (times[child] >= time) break;
      times[i] = times[child];
      ids[i] = ids[child];
      i = child;
    }
    times[i] = time;
    ids[i] = id;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.times = times;
    this.ids = ids;
  }
}
