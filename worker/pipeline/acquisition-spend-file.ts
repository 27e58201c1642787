/**
 * The acquisition-spend table (`--acquisition-spend FILE`): a CSV with the header `channel,month,spend`, one
 * row per channel and calendar month, e.g. `PAID_SEARCH,2026-03,1250.00`. `channel` is spelled as the
 * customers' acquisition channel (HubSpot's original source, Salesforce's LeadSource or first campaign),
 * `month` is YYYY-MM, `spend` a non-negative amount in the run's base currency. Every row is checked; the
 * error names each bad row by its line number and field, so the whole file can be fixed in one go.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { splitCsvRecord } from '../../connectors/csv/split-csv-record';
import { CrmClvError } from '../../domain/errors';
import type { AcquisitionSpend } from '../analytics/performance';

const HEADER = ['channel', 'month', 'spend'];

const spendRow = z.object({
  channel: z.string().trim().min(1, 'channel must not be empty'),
  month: z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be written YYYY-MM, e.g. 2026-03'),
  spend: z
    .string()
    .trim()
    .refine((s) => s !== '' && Number.isFinite(Number(s)), 'spend must be a number')
    .transform(Number)
    .refine((n) => n >= 0, 'spend must not be negative'),
});

export class AcquisitionSpendError extends CrmClvError<'INVALID_DATA'> {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super('INVALID_DATA', `acquisition spend ${file}: ${problems.join('; ')}`);
  }
}

export function parseAcquisitionSpend(text: string, file = 'acquisition spend'): AcquisitionSpend[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvRecord(lines[0] ?? '');
  const names = header.status === 'ok' ? header.fields.map((f) => f.trim().toLowerCase()) : [];
  if (names.join(',') !== HEADER.join(','))
    throw new AcquisitionSpendError(file, [
      `line 1: expected the header ${HEADER.join(',')}, got '${lines[0] ?? ''}'`,
    ]);
  const rows: AcquisitionSpend[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const line = i + 1;
    const split = splitCsvRecord(lines[i]);
    if (split.status !== 'ok' || split.fields.length !== 3) {
      problems.push(`line ${line}: expected 3 fields channel,month,spend`);
      continue;
    }
    const parsed = spendRow.safeParse({
      channel: split.fields[0],
      month: split.fields[1],
      spend: split.fields[2],
    });
    if (!parsed.success) {
      problems.push(
        `line ${line}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join(', ')}`,
      );
      continue;
    }
    const key = `${parsed.data.channel}\u0000${parsed.data.month}`;
    if (seen.has(key)) {
      problems.push(`line ${line}: ${parsed.data.channel} ${parsed.data.month} is listed twice`);
      continue;
    }
    seen.add(key);
    rows.push(parsed.data);
  }
  if (problems.length > 0) throw new AcquisitionSpendError(file, problems);
  return rows;
}

export async function readAcquisitionSpend(path: string): Promise<AcquisitionSpend[]> {
  return parseAcquisitionSpend(await readFile(path, 'utf8'), path);
}
