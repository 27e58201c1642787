/**
 * The HubSpot contract files in `../shared/contracts/hubspot`, found the way test/helpers/run-cli.ts finds
 * `../shared/data`: beside the repository root, so the tests read the same files CI gets.
 */
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../../helpers/run-cli';

export const HUBSPOT_CONTRACTS = resolve(REPO_ROOT, '../shared/contracts/hubspot');
export const ENDPOINTS_TSV = join(HUBSPOT_CONTRACTS, 'api-client-14.0.1-endpoints.tsv');
