import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync, tempDir } from '../helpers/run-cli';

describe('crm-clv demo (npm start)', () => {
  it('scores a generated retailer, then round-trips a sandboxed HubSpot portal and Salesforce org', async () => {
    const out = tempDir('demo');
    const r = await runCliAsync(['demo', '--customers', '600', '--crm-contacts', '300', '--out', out], {
      HUBSPOT_SANDBOX_PORT: '0',
      SALESFORCE_SANDBOX_PORT: '0',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/BG\/NBD r\s+truth\s+0\.243/);
    const scored = Number(/Scored (\d+) buying contacts/.exec(r.stdout)?.[1]);
    expect(scored).toBeGreaterThan(50);
    // Every scored contact written once, in ⌈n/100⌉ batch calls; the rerun sends nothing.
    expect(r.stdout).toContain(
      `${scored} contacts written in ${Math.ceil(scored / 100)} batch calls, 0 failed`,
    );
    expect(r.stdout).toContain('Write-back again with the same scores: 0 changed, 0 calls');
    expect(r.stdout).toContain('is valid against the written properties');
    expect(r.stdout).toMatch(/clv_churn_risk\s+high/);
    // The same tenant through the worker pipeline (BullMQ on the test's Redis): every stage completes; with
    // nothing changed in the portal it writes no value, and its first write-back makes the segment lists
    // (the lock wrapper around the adapter must pass that capability on).
    expect(r.stdout).toMatch(/A pipeline run through BullMQ on Redis at .*: completed\./);
    expect(r.stdout).toMatch(
      /writeback completed \{"scores":\d+,"lists":\{"status":"synced","created":[1-9]\d*,"updated":0,"unchanged":0,"skipped":0\},"campaigns":\{"status":"unsupported","reason":"hubspot enrols retention programs from[^}]*\},"settled":0,"changed":0,"written":0,"failed":0,"writeCalls":0\}/,
    );
    // The second tenant: the Salesforce org seeded alike, through jsforce, as salesforce-00D000000000001AAA.
    const salesforce = r.stdout.slice(r.stdout.indexOf('== The second tenant: a Salesforce org'));
    // Its write-back keeps the retention campaigns (none: the demo has no program), so the lock wrapper passed
    // that capability on.
    expect(salesforce).toMatch(/"campaigns":\{"status":"no-programs"/);
    expect(salesforce).toMatch(/Synced 300 contacts, \d+ opportunities \(\d+ won, [1-9]\d* refunded\)/);
    // One describe, a query per object but Account, and Account's two cursor queries.
    expect(salesforce).toContain('of salesforce-00D000000000001AAA in 14 API calls through jsforce');
    const sfScored = Number(/Scored (\d+) buying contacts/.exec(salesforce)?.[1]);
    expect(sfScored).toBe(scored);
    expect(salesforce).toContain(
      `${sfScored} contacts written in ${Math.ceil(sfScored / 200)} collection calls (≤200 each), 0 failed`,
    );
    expect(salesforce).toMatch(/churn Flow created [1-9]\d* follow-up tasks/);
    expect(salesforce).toContain('Write-back again with the same scores: 0 changed, 0 calls');
    expect(salesforce).toMatch(/CLV_Churn_Risk__c\s+high/);
    expect(salesforce).toMatch(/A pipeline run through BullMQ on Redis at .*: completed\./);
    for (const file of [
      join('salesforce', 'scores.csv'),
      join('store', 'salesforce-00D000000000001AAA', 'order.ndjson'),
      'scores.csv',
      'report.html',
      join('hubspot', 'scores.csv'),
      join('store', 'hubspot-1000', 'order.ndjson'),
    ])
      expect(existsSync(join(out, file))).toBe(true);
    // The portal's run report has its reps (from the synced deals' owners); the generated retailer's, a file,
    // says in one line that it has none.
    expect(readFileSync(join(out, 'hubspot', 'report.html'), 'utf8')).toMatch(
      /<section id="sales-reps">\n<h2>Sales reps<\/h2>\n<p>Top \d+ of \d+ reps by win rate shrunk/,
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      '<p>No deals or owners in this run’s input (a transactions file has none).</p>',
    );
  });
});
