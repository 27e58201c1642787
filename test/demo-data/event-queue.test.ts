import { EventQueue } from '../../demo-data/event-queue';

describe('EventQueue', () => {
  it('pops ids in time order across growth and interleaved pushes', () => {
    const queue = new EventQueue();
    const times: number[] = [];
    // A deterministic scramble of 0..4999 (7919 is prime, so i·7919 mod 5000 is a permutation).
    for (let i = 0; i < 5000; i++) {
      const t = (i * 7919) % 5000;
      times[i] = t;
      queue.push(i, t);
    }
    const popped: number[] = [];
    while (queue.size > 2500) popped.push(times[queue.pop()]);
    queue.push(5000, 100.5);
    times[5000] = 100.5;
    while (queue.size > 0) popped.push(times[queue.pop()]);
    // 100.5 was pushed after 0..2499 had gone, so it is the earliest left.
    expect(popped).toEqual([
      ...Array.from({ length: 2500 }, (_, i) => i),
      100.5,
      ...Array.from({ length: 2500 }, (_, i) => i + 2500),
    ]);
    expect(queue.pop()).toBe(-1);
    expect(queue.peekTime()).toBe(Infinity);
  });
});
