/** What every route module needs: the org, the clock, the write journal and the automation hooks. */

import type { Automation } from './automation';
import type { Journal } from './journal';
import type { OrgStore } from './org-store';

export type SandboxContext = {
  store: OrgStore;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now: () => number;
  journal: Journal;
  automation: Automation;
};
