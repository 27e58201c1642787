import type { StageIndex } from './deal-stages';
import type { HubSpotObject } from './hubspot-object';
import { finishMapping, rejected, type MapOutcome } from './map-outcome';
import { TICKET_PROPERTIES as P } from './read-properties';
import { readDateTime, text, toIsoDateTime } from './property-values';

export type TicketContext = {
  /** Contact ids associated with the ticket (v4 ticket→contact); the first is the customer. */
  contactIds: readonly string[];
  /** Ticket pipelines' stages, to report the stage label as status; the raw stage id is used without it. */
  stages?: StageIndex;
};

/** HubSpot ticket → ServiceCase (priority LOW/MEDIUM/HIGH/URGENT lower-cased, status = stage label). */
export function mapTicket(ticket: HubSpotObject, context: TicketContext): MapOutcome<'serviceCase'> {
  const props = ticket.properties ?? {};
  const id = String(ticket.id ?? '');
  if (id === '') return rejected('serviceCase', '(no id)', 'id: is required but was not provided');
  const customerId = context.contactIds[0];
  if (customerId === undefined)
    return rejected('serviceCase', id, 'customerId: the ticket has no associated contact');
  const opened = readDateTime(props, P.createdAt);
  if (!opened.ok) return rejected('serviceCase', id, opened.problem);
  const openedAt = opened.value ?? toIsoDateTime(ticket.createdAt);
  const warnings: string[] = [];
  const closed = readDateTime(props, P.closedAt);
  if (!closed.ok) warnings.push(`${closed.problem}; value dropped`);
  const stageId = text(props, P.stage);
  const stage = stageId === undefined ? undefined : context.stages?.find(text(props, P.pipeline), stageId);
  return finishMapping(
    'serviceCase',
    {
      id,
      customerId,
      openedAt,
      closedAt: closed.ok ? closed.value : undefined,
      priority: text(props, P.priority)?.toLowerCase(),
      status: stage?.label ?? stageId,
    },
    warnings,
  );
}
