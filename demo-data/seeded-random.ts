/**
 * The demo data's randomness, for the sandboxes that serve it (seeded portals, fault injection): the same
 * seed gives the same portal and the same faults on every machine. The generator itself is analytics' own
 * (xoshiro128**), so the demo data and the engine's seeded steps share one implementation.
 */
import { createRandom, type SeededRandom } from '../worker/analytics/math/random';

export type { SeededRandom };

export function seededRandom(seed: number): SeededRandom {
  return createRandom(seed);
}
