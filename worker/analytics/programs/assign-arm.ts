/**
 * Random but stable arm assignment: SHA-256 of (tenant, program, customer) read as a number in [0, 1) and
 * compared with the treatment share. The same customer in the same program of the same tenant always lands in
 * the same arm, on any machine and in any run, without storing a seed; another program draws independently.
 */
import { createHash } from 'node:crypto';

export type ProgramArm = 'treatment' | 'control';

/** The customer's draw in [0, 1): the first 52 bits of the hash over 2^52 (exact in a double). */
export function assignmentDraw(tenant: string, programId: string, customerId: string): number {
  // NUL separators: no (tenant, program, customer) triple can be spelled as another by moving a boundary.
  const digest = createHash('sha256').update(`${tenant}\0${programId}\0${customerId}`).digest();
  const high = digest.readUInt32BE(0); // 32 bits
  const low = digest.readUInt32BE(4) >>> 12; // next 20 bits
  return (high * 2 ** 20 + low) / 2 ** 52;
}

/** 'treatment' when the draw falls under `treatmentShare`, else 'control'. */
export function assignArm(
  tenant: string,
  programId: string,
  customerId: string,
  treatmentShare: number,
): ProgramArm {
  if (!(treatmentShare > 0 && treatmentShare < 1))
    throw new RangeError(`treatmentShare must be strictly between 0 and 1, got ${treatmentShare}`);
  return assignmentDraw(tenant, programId, customerId) < treatmentShare ? 'treatment' : 'control';
}
