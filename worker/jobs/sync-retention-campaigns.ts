/**
 * The step after write-back that keeps each retention program's CRM campaign current (issue P8, "Retention
 * programs"): per program of the tenant, its treatment arm as stored at enrolment (programArmMembers) and
 * whether it is still active, handed to the adapter's retention-campaign capability. Runs after write-back
 * because enrolment happens there (assignRetentionGroups). A CRM without the capability (HubSpot, whose
 * workflows enrol from the `CLV · Retention treatment` list) is reported as such, never as a failure.
 */
import type { CrmAdapter, RetentionCampaignsReport } from '../../connectors/crm-adapter';
import { programArmMembers, readPrograms, type EnrolmentStore } from '../programs/program-store';

export type RetentionCampaignsStepResult =
  | ({ status: 'synced' } & RetentionCampaignsReport)
  | { status: 'unsupported' | 'no-programs'; reason: string };

export async function syncTenantRetentionCampaigns(input: {
  adapter: CrmAdapter;
  store: EnrolmentStore;
}): Promise<RetentionCampaignsStepResult> {
  const { adapter, store } = input;
  if (adapter.retentionCampaigns === undefined)
    return {
      status: 'unsupported',
      reason: `${adapter.crm} enrols retention programs from the "CLV · Retention treatment" list, not a campaign`,
    };
  const programs = await readPrograms(store, adapter.tenant);
  if (programs.length === 0)
    return { status: 'no-programs', reason: `${adapter.tenant} has no retention programs` };
  const inputs = [];
  for (const p of programs)
    inputs.push({
      programId: p.id,
      live: p.status === 'active',
      treated: (await programArmMembers(store, adapter.tenant, p.id)).treatment,
    });
  return { status: 'synced', ...(await adapter.retentionCampaigns.sync(inputs)) };
}
