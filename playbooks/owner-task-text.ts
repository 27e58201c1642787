/**
 * The words of an owner task (README, "Owner tasks"): a subject a rep can act on from the task list, and notes
 * with what the card would say (predicted value, churn probability, the top drivers in words, the top next
 * best action), ending with the episode's reference. The reference is what finds the task again after a crash
 * (worker/jobs/owner-tasks.ts), so it is always the last line and printed as given. Plain text: the Score's
 * words are shown as written, never interpreted as markup by us.
 */
import type { Score } from '../domain/score';
import { formatDate, formatMoney, formatPercent } from './format';

/** How many churn drivers the notes list (the card shows three). */
const DRIVERS = 3;

export type OwnerTaskTextInput = {
  score: Pick<Score, 'customerId' | 'clvPredicted' | 'churnProbability' | 'churnDrivers' | 'nextBestActions'>;
  /** The contact's name as the CRM holds it; either may be absent. */
  contact: { firstName?: string; lastName?: string };
  currency: string;
  clvMonths: number;
  /** When the customer turned high risk (the episode's first run). */
  since: string;
  marker: string;
};

export type OwnerTaskText = { subject: string; body: string };

/** "Ada Lovelace", "Ada", or "customer 101" when the CRM has no name. */
export function contactName(contact: OwnerTaskTextInput['contact'], customerId: string): string {
  const name = [contact.firstName, contact.lastName].filter((p) => p !== undefined && p.trim() !== '');
  return name.length > 0 ? name.map((p) => (p as string).trim()).join(' ') : `customer ${customerId}`;
}

export function ownerTaskText(input: OwnerTaskTextInput): OwnerTaskText {
  const { score } = input;
  const name = contactName(input.contact, score.customerId);
  const lines = [
    `Predicted value: ${formatMoney(score.clvPredicted, input.currency)} over the next ${input.clvMonths} months (top 20% of customers).`,
  ];
  if (score.churnProbability !== undefined)
    lines.push(`Churn probability: ${formatPercent(score.churnProbability)} (high risk).`);
  const drivers = (score.churnDrivers ?? []).slice(0, DRIVERS).map((d) => d.text);
  if (drivers.length > 0) lines.push(`Why: ${drivers.join('; ')}.`);
  const action = score.nextBestActions?.[0];
  if (action !== undefined) lines.push(`Next best action: ${action.title}`);
  lines.push(`High churn risk since ${formatDate(input.since)}.`);
  lines.push(`Reference: ${input.marker}`);
  return {
    subject: `Retention call: ${name} — high churn risk, top 20% CLV`,
    body: lines.join('\n'),
  };
}
