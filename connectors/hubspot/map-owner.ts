import type { HubSpotOwner } from './hubspot-object';
import { finishMapping, rejected, type MapOutcome } from './map-outcome';

/**
 * HubSpot owner → Rep. The Rep id is the owner `id` (what hubspot_owner_id holds, NOTES §4.3), not `userId`,
 * which is null for archived owners. The name falls back to the email, then the id, so a rep always shows.
 */
export function mapOwner(owner: HubSpotOwner): MapOutcome<'rep'> {
  const id = String(owner.id ?? '');
  if (id === '') return rejected('rep', '(no id)', 'id: is required but was not provided');
  const email = owner.email?.trim() || undefined;
  const name = [owner.firstName, owner.lastName]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(' ');
  return finishMapping('rep', { id, name: name || email || id, email }, []);
}
