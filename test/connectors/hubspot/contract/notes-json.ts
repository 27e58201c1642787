/** The JSON examples of one NOTES.md section, read from the shared contracts so tests compare against them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUBSPOT_CONTRACTS } from './contracts-dir';

/** Parsed ```json blocks between the heading `## <section>.` and the next `## ` heading. */
export function notesJsonExamples(section: number): unknown[] {
  const notes = readFileSync(join(HUBSPOT_CONTRACTS, 'NOTES.md'), 'utf8');
  const start = notes.indexOf(`\n## ${section}. `);
  if (start < 0) throw new Error(`NOTES.md has no section ${section}`);
  const end = notes.indexOf('\n## ', start + 1);
  const body = notes.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);
}
