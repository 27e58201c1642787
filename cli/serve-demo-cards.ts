/**
 * `npm start`'s last part: the card server on the demo's state (the round trips' file store), with the unsigned
 * card preview for the two demo tenants only — the HubSpot portal and the Salesforce org, whose contacts show as
 * the Lightning card shows them — and the dashboard of either behind an admin login. Local only: it listens on
 * 127.0.0.1, prints the URLs, and runs until Ctrl-C. The admin password and the card secrets go to a 0600 file in
 * the demo folder, not to the terminal: a terminal's output ends up in logs and CI transcripts.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from '../cards/server';
import { salesforceOrgKey } from '../cards/signatures';
import { crmTenantId } from '../domain/tenant';
import { FileRecordStore } from '../worker/state';

export async function serveDemoCards(out: string): Promise<void> {
  const portalId = process.env.HUBSPOT_SANDBOX_PORTAL_ID ?? '1000';
  const tenant = crmTenantId('hubspot', portalId);
  const orgId = process.env.SALESFORCE_SANDBOX_ORG_ID ?? '00D000000000001AAA';
  const salesforceTenant = crmTenantId('salesforce', orgId);
  const secret = process.env.HUBSPOT_CLIENT_SECRET || randomBytes(16).toString('hex');
  const salesforceSecret = process.env.SALESFORCE_CARD_SECRET || randomBytes(16).toString('hex');
  const password = process.env.CRM_CLV_ADMIN_PASSWORD || randomBytes(9).toString('base64url');
  const user = process.env.CRM_CLV_ADMIN_USER || 'admin';
  const cards = createServer({
    env: {
      ...process.env,
      HUBSPOT_CLIENT_SECRET: secret,
      SALESFORCE_CARD_SECRET: salesforceSecret,
      CRM_CLV_ADMIN_USER: user,
      CRM_CLV_ADMIN_PASSWORD: password,
    },
    store: new FileRecordStore(join(out, 'store')),
    preview: { tenants: [tenant, salesforceTenant] },
    dashboardTenant: tenant,
  });
  const server = createHttpServer(cards.handler);
  const port = Number(process.env.PORT ?? 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE' ? `port ${port} is in use: set PORT to another port` : error.message,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = join(out, 'demo-credentials.json');
  await writeFile(
    credentials,
    `${JSON.stringify(
      {
        adminUser: user,
        adminPassword: password,
        hubspotClientSecret: secret,
        salesforceCardSecret: salesforceSecret,
        // What the demo org's External Credential CrmClv would hold (README "Salesforce card").
        salesforceOrgKey: salesforceOrgKey(salesforceSecret, orgId),
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  await chmod(credentials, 0o600); // a file left by an earlier demo keeps its mode otherwise
  process.stdout.write(
    [
      '',
      `== The cards: the demo tenants ${tenant} and ${salesforceTenant} on ${base} (local only; Ctrl-C stops it) ==`,
      `Card preview (demo tenants only, unsigned): ${base}/preview?tenant=${tenant}`,
      `  the Salesforce org's contacts as its Lightning card shows them: ${base}/preview?tenant=${salesforceTenant}`,
      `Dashboard (log in as ${user}; the password is in ${credentials}): ${base}/dashboard?tenant=${tenant}`,
      `  and the Salesforce org's: ${base}/dashboard?tenant=${salesforceTenant}`,
      `Card API (signed v3 with the client secret in ${credentials}): ${base}/api/v1/cards/contact?portalId=${portalId}&objectId=<contact id>`,
      `Salesforce card API (signed with the org key in ${credentials}): ${base}/api/v1/cards/salesforce/contact?orgId=${orgId}&contactId=<contact id>`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.closeAllConnections();
      server.close(() => void cards.close().finally(resolve));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
