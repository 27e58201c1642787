/**
 * Preload for HubSpot's CLI (node --import), used by hs-offline.sh: lets `hs project validate` and the local
 * half of `hs project upload` run with no HubSpot account and no network to HubSpot.
 *
 * The CLI's only network need for a local validation is the component JSON schemas, which it downloads from
 * HubSpot (`project-components-external/project-schemas/v3/{platformVersion}`, authenticated; none is shipped
 * in the npm packages). This answers that one request with an "accept any config" schema for every component
 * type the CLI knows, so every local check still runs (hsproject.json, JSON, top-level fields, uid, type,
 * directory of each component, one app / one webhooks, legacy files, lint setup), but NOT HubSpot's schema of
 * each `config` block. Every other request (project lookup, upload, error reporting) is refused, so nothing
 * ever leaves this machine.
 */
import { createRequire } from 'node:module';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const cliDir = process.env.HS_CLI_DIR;
if (!cliDir)
  throw new Error('hs-offline-preload: set HS_CLI_DIR to the folder where @hubspot/cli is installed');
const fromCli = createRequire(createRequire(`${cliDir}/`).resolve('@hubspot/cli/package.json'));
const load = (name) => import(pathToFileURL(fromCli.resolve(name)).href);

const { http } = await load('@hubspot/local-dev-lib/http');
const { Components } = await load('@hubspot/project-parsing-lib/constants');
const { mapToInternalType } = await load('@hubspot/project-parsing-lib/transform');

const SCHEMAS = /^project-components-external\/project-schemas\/v3\/[^/]+$/;
const acceptAny = Object.fromEntries(Object.keys(Components).map((type) => [mapToInternalType(type), {}]));

for (const method of Object.keys(http)) {
  http[method] = async (_accountId, options) => {
    if (method === 'get' && SCHEMAS.test(options.url)) return { data: acceptAny };
    throw new Error(`offline: refusing ${method.toUpperCase()} ${options.url}`);
  };
}
