import { CrmClvError } from '../domain/errors';

/**
 * A playbook template or the next-best-action rule file cannot be used. Thrown by loadPlaybooks at start-up,
 * never while serving: every problem found is listed, each naming its file, and for rules the rule (index and
 * id) and the field, so a sales-ops edit can be fixed in one go.
 */
export class PlaybookConfigError extends CrmClvError<'PLAYBOOK_CONFIG_INVALID'> {
  constructor(readonly problems: readonly string[]) {
    super(
      'PLAYBOOK_CONFIG_INVALID',
      `The playbooks cannot be loaded (${problems.length} problem${problems.length === 1 ? '' : 's'}); ` +
        `fix ${problems.length === 1 ? 'it' : 'them'} and start again:\n  - ${problems.join('\n  - ')}`,
    );
  }
}
