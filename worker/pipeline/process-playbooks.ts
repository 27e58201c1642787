/**
 * The playbooks of this process, loaded when a score run first needs them and kept: every shard of every run
 * a worker scores uses the one load (templates and rules compiled once). A file that cannot be loaded throws
 * PlaybookConfigError, which fails the score run with every problem named: a broken rule edit must not pass
 * for "no next best actions". The failure is not kept, so the run after a fix loads the fixed files.
 */
import type { NextBestAction, Score } from '../../domain/score';
import { loadPlaybooks, type CardFacts, type Playbooks, type PlaybooksOptions } from '../../playbooks';

let loaded: Playbooks | null = null;
let options: PlaybooksOptions = {};

export function processPlaybooks(): Playbooks {
  loaded ??= loadPlaybooks(options);
  return loaded;
}

/** Where this process loads its playbooks from (a pipeline thread loads the same ones). */
export function processPlaybookOptions(): PlaybooksOptions {
  return options;
}

/** Drops the loaded playbooks and loads from `next` (tests; a process that switches its playbooks folder). */
export function resetProcessPlaybooks(next: PlaybooksOptions = {}): void {
  loaded = null;
  options = next;
}

/** The Score's next best actions (at most the rule file's maxActions), as the Score carries them. */
export function nextBestActionsOf(score: Score, facts: CardFacts): NextBestAction[] {
  return processPlaybooks()
    .nextBestActions(score, facts)
    .map(({ id, title, reason, priority }) => ({ id, title, reason, priority }));
}
