/**
 * `crm-clv sync` and `crm-clv writeback` on a folder store hold the tenant's lock file for the stage while
 * they run, so a second run of the same command on the same store stops with who holds it instead of
 * writing the same values twice or older records over newer ones.
 */
import type { TenantId } from '../domain/tenant';
import { fileStageLocks } from '../worker/locks/file-stage-locks';
import type { Stage } from '../worker/queue/stages';

export async function withStageLockFile<T>(
  dataDir: string,
  tenant: TenantId,
  stage: Stage,
  work: () => Promise<T>,
): Promise<T> {
  const locks = fileStageLocks({ dataDir, onNote: (note) => process.stderr.write(`note: ${note}\n`) });
  const lock = await locks.acquire(tenant, stage);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
