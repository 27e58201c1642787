import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { REPO_ROOT } from '../helpers/run-cli';

describe('crm-clv sandbox hubspot', () => {
  it('serves the seeded portal to the real client until it is stopped', async () => {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'dist/cli/main.js'),
        'sandbox',
        'hubspot',
        '--port',
        '0',
        '--contacts',
        '150',
        '--token',
        't-1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited early with ${code}: ${out}`)));
    });
    const client = new Client({ accessToken: 't-1', basePath: url, numberOfApiCallRetries: 0 });
    let seen = 0;
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after);
      seen += page.results.length;
      after = page.paging?.next?.after;
    } while (after);
    expect(seen).toBe(150);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
