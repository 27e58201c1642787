/** What every route module needs: the store, the live fault settings, the clock and the write journal. */

import type { SandboxFaults } from './faults';
import type { Journal } from './journal';
import type { SandboxStore } from './sandbox-store';

export type SandboxContext = {
  store: SandboxStore;
  faults: SandboxFaults;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now: () => number;
  /** Called once per accepted write request with one entry per object written, before the answer is sent. */
  journal: Journal;
};
