/**
 * One Salesforce Campaign per retention program, `CLV retention · <program id>`, whose CampaignMembers are the
 * program's treated contacts (issue P8, "Retention programs"; sandbox NOTES-list-views-campaigns.md §3):
 * - found by name (SOQL), created once (Type 'Other', Status 'In Progress', IsActive true) while the program is
 *   live; IsActive follows the program (false once it ended; an ended program never gets a new campaign);
 * - members: the campaign's existing members are queried first and only the missing treated contacts are
 *   inserted (Status 'Sent'), 200 per sObject Collections request with allOrNone false. Salesforce keeps a
 *   contact once per campaign and answers a second insert with DUPLICATE_VALUE "Already a campaign member.",
 *   which counts as already a member (a concurrent run, or a retry of a request that had gone through);
 * - control customers are never sent. Members are never removed: the campaign records who was treated.
 * Writes carry `Sforce-Call-Options: client=crm-clv`, as the write-back's do.
 */
import type {
  RetentionCampaignInput,
  RetentionCampaignOutcome,
  RetentionCampaignsReport,
  WriteFailure,
} from '../../crm-adapter';
import type { SalesforceConnection } from '../create-connection';
import { SalesforceRequestError } from '../errors';
import { eachPage } from '../query-pages';
import type { SalesforceCaller } from '../salesforce-caller';
import { chunk, idLiteral } from '../soql';
import { CALL_OPTIONS_HEADER, COLLECTION_LIMIT } from '../writeback/write-changed';

export const CAMPAIGN_NAME_PREFIX = 'CLV retention · ';
/** Campaign.Name holds 80 characters. */
const CAMPAIGN_NAME_MAX = 80;
export const CAMPAIGN_TYPE = 'Other';
export const MEMBER_STATUS = 'Sent';

type SaveError = { statusCode?: string; errorCode?: string; message?: string };
type SaveResult = { id?: string; success?: boolean; errors?: SaveError[] };

const soqlText = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function campaignName(programId: string): string {
  const name = `${CAMPAIGN_NAME_PREFIX}${programId}`;
  if (name.length > CAMPAIGN_NAME_MAX)
    throw new RangeError(
      `program id '${programId}' is too long for a Campaign name (${CAMPAIGN_NAME_MAX} characters with '${CAMPAIGN_NAME_PREFIX}')`,
    );
  return name;
}

const codeOf = (e: SaveError) => e.statusCode ?? e.errorCode ?? 'UNKNOWN';
const describe = (errors: readonly SaveError[] = []) =>
  errors.map((e) => `${codeOf(e)}: ${e.message ?? ''}`).join('; ') || 'UNKNOWN: no error given';

async function saveOne(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  mode: 'create' | 'update',
  record: Record<string, unknown>,
  what: string,
): Promise<string> {
  const options = { allOrNone: true, allowRecursive: false, headers: { ...CALL_OPTIONS_HEADER } };
  const [result] = (await caller.call(() =>
    mode === 'create'
      ? sf.conn.sobject('Campaign').create([record], options)
      : sf.conn.sobject('Campaign').update([record as { Id: string }], options),
  )) as unknown as SaveResult[];
  if (result?.success !== true || result.id === undefined)
    throw new SalesforceRequestError(
      codeOf(result?.errors?.[0] ?? {}),
      `${what}: ${describe(result?.errors)}`,
    );
  return result.id;
}

async function syncProgram(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  program: RetentionCampaignInput,
): Promise<RetentionCampaignOutcome> {
  const name = campaignName(program.programId);
  const found: { Id: string; IsActive?: boolean }[] = [];
  await eachPage(sf, caller, `SELECT Id, IsActive FROM Campaign WHERE Name = ${soqlText(name)}`, (rows) => {
    for (const r of rows) found.push({ Id: String(r.Id), IsActive: r.IsActive === true });
  });
  const outcome: RetentionCampaignOutcome = {
    programId: program.programId,
    campaign: 'found',
    membersAdded: 0,
    alreadyMembers: 0,
    failed: [],
  };
  let campaign = found[0];
  if (campaign === undefined) {
    if (!program.live) return { ...outcome, campaign: 'absent' };
    const id = await saveOne(
      sf,
      caller,
      'create',
      { Name: name, Type: CAMPAIGN_TYPE, Status: 'In Progress', IsActive: true },
      `create Campaign '${name}'`,
    );
    campaign = { Id: id, IsActive: true };
    outcome.campaign = 'created';
  } else if (campaign.IsActive !== program.live) {
    await saveOne(
      sf,
      caller,
      'update',
      { Id: campaign.Id, IsActive: program.live },
      `set IsActive on Campaign '${name}'`,
    );
    outcome.campaign = program.live ? 'activated' : 'deactivated';
  }
  outcome.campaignId = campaign.Id;
  if (!program.live) return outcome;

  const members = new Set<string>();
  await eachPage(
    sf,
    caller,
    `SELECT ContactId FROM CampaignMember WHERE CampaignId = ${idLiteral(campaign.Id)}`,
    (rows) => {
      for (const r of rows) if (typeof r.ContactId === 'string') members.add(r.ContactId.slice(0, 15));
    },
  );
  const missing = [...new Set(program.treated)].filter((id) => {
    if (!members.has(id.slice(0, 15))) return true;
    outcome.alreadyMembers++;
    return false;
  });
  const campaignId = campaign.Id;
  for (const batch of chunk(missing, COLLECTION_LIMIT)) {
    const results = (await caller.call(
      () =>
        sf.conn.sobject('CampaignMember').create(
          batch.map((contactId) => ({ CampaignId: campaignId, ContactId: contactId, Status: MEMBER_STATUS })),
          { allOrNone: false, allowRecursive: false, headers: { ...CALL_OPTIONS_HEADER } },
        ),
      { retryTransient: true },
    )) as unknown as SaveResult[];
    batch.forEach((contactId, i) => {
      const result = results[i];
      if (result?.success === true) outcome.membersAdded++;
      else if ((result?.errors ?? []).some((e) => codeOf(e) === 'DUPLICATE_VALUE')) outcome.alreadyMembers++;
      else outcome.failed.push({ id: contactId, reason: describe(result?.errors) } satisfies WriteFailure);
    });
  }
  return outcome;
}

export async function syncRetentionCampaigns(
  sf: SalesforceConnection,
  caller: SalesforceCaller,
  programs: readonly RetentionCampaignInput[],
): Promise<RetentionCampaignsReport> {
  const callsBefore = caller.stats.calls;
  const outcomes: RetentionCampaignOutcome[] = [];
  for (const program of programs) outcomes.push(await syncProgram(sf, caller, program));
  return { programs: outcomes, calls: caller.stats.calls - callsBefore };
}
