import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The folder holding templates/ and rules/: beside this module when it runs from source (tests), the
 * repository's playbooks/ folder when it runs from dist/playbooks (tsc copies no assets, and sales ops edit the
 * repository's files, so there is one copy).
 */
export function defaultPlaybooksDir(): string {
  return existsSync(join(__dirname, 'rules')) ? __dirname : resolve(__dirname, '../../playbooks');
}
