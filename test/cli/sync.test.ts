import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubSpotSandbox } from '../../connectors/hubspot/sandbox';
import { runCli, runCliAsync, tempDir } from '../helpers/run-cli';

describe('crm-clv sync --crm hubspot', () => {
  it('syncs a sandbox portal into the store, then finds nothing new incrementally', async () => {
    const sandbox = createHubSpotSandbox({ token: 'tok-9', portalId: '77', seed: 3, contacts: 120 });
    const running = await sandbox.listen(0);
    try {
      const dataDir = tempDir('sync');
      const common = [
        'sync',
        '--crm',
        'hubspot',
        '--base-url',
        running.url,
        '--portal-id',
        '77',
        '--data-dir',
        dataDir,
      ];
      const full = await runCliAsync([...common, '--mode', 'full'], { HUBSPOT_ACCESS_TOKEN: 'tok-9' });
      expect(full.status).toBe(0);
      expect(full.stdout).toMatch(/contacts\s+120\s+120\s+0\s+0/);
      const stored = readFileSync(join(dataDir, 'hubspot-77', 'customer.ndjson'), 'utf8')
        .trim()
        .split('\n');
      expect(stored).toHaveLength(120);
      expect(full.stdout).not.toContain('tok-9');
      const again = await runCliAsync([...common, '--mode', 'incremental'], {
        HUBSPOT_ACCESS_TOKEN: 'tok-9',
      });
      expect(again.status).toBe(0);
      expect(again.stdout).toMatch(/contacts\s+0\s+0\s+0\s+0/);
    } finally {
      await running.close();
    }
  });

  it('stops with exit code 2 when no token is given', () => {
    const r = runCli([
      'sync',
      '--crm',
      'hubspot',
      '--base-url',
      'http://127.0.0.1:9',
      '--data-dir',
      tempDir('sync-no-token'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });
});
