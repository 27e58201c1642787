/** What every route module needs: the store, the live fault settings and the clock. */

import type { SandboxFaults } from './faults';
import type { SandboxStore } from './sandbox-store';

export type SandboxContext = {
  store: SandboxStore;
  faults: SandboxFaults;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now: () => number;
};
