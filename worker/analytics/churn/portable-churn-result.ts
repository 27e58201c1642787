/**
 * A ChurnResult as data that crosses threads (structured cloning, its large arrays transferred rather than
 * copied), and back: the churn stage can then run in a worker thread beside the rest of a score run. What
 * cannot be cloned is rebuilt on arrival: the feature definitions are found again by name (built-in features
 * only) and the drivers are told from the driver basis, as a score shard tells them (./churn-drivers
 * describeDrivers: the same texts as describeRowDrivers for built-in features).
 */
import { describeDrivers } from './churn-drivers';
import type { ChurnPerCustomer, ChurnResult } from './churn-stage';
import { BUILT_IN_FEATURES } from './feature-catalogue';
import type { ChurnModel } from './fit-churn-classifier';
import { ChurnError, type ChurnRisk } from './types';

export type PortableChurnResult = Omit<ChurnResult, 'model' | 'perCustomer'> & {
  model: Omit<ChurnModel, 'spec'> & { spec: Omit<ChurnModel['spec'], 'features'> & { features: string[] } };
  perCustomer: Omit<ChurnPerCustomer, 'risk' | 'drivers' | 'featureRow'> & {
    /** Index into RISKS per customer (0: not scored). */
    risk: Uint8Array;
  };
};

const RISKS: readonly (ChurnRisk | null)[] = [null, 'low', 'medium', 'high'];

/** The result as clonable data, and the buffers to transfer with it (the result must not be used after). */
export function portableChurnResult(result: ChurnResult): {
  portable: PortableChurnResult;
  transfer: ArrayBuffer[];
} {
  const { perCustomer: p, model } = result;
  const risk = Uint8Array.from(p.risk, (r) => RISKS.indexOf(r));
  const portable: PortableChurnResult = {
    ...result,
    model: { ...model, spec: { ...model.spec, features: model.spec.features.map((d) => d.name) } },
    perCustomer: {
      probability: p.probability,
      risk,
      driverFeature: p.driverFeature,
      driverContribution: p.driverContribution,
      driverCount: p.driverCount,
      driverBasis: p.driverBasis,
      featureTable: p.featureTable,
      windowDays: p.windowDays,
    },
  };
  const buffers = new Set<ArrayBuffer>();
  for (const a of [
    p.probability,
    risk,
    p.driverFeature,
    p.driverContribution,
    p.featureTable.raw,
    p.featureTable.rowOf,
    p.windowDays,
    ...p.driverBasis.peers.grid,
  ]) {
    // Views of a larger buffer (or of a shared one) are copied, not transferred.
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength)
      buffers.add(a.buffer);
  }
  return { portable, transfer: [...buffers] };
}

const BY_NAME = new Map(BUILT_IN_FEATURES.map((d) => [d.name, d]));

/** The ChurnResult a portable one was made from (its drivers told from the driver basis). */
export function churnResultFromPortable(portable: PortableChurnResult): ChurnResult {
  const { perCustomer: p, model } = portable;
  const features = model.spec.features.map((name) => {
    const def = BY_NAME.get(name);
    if (def === undefined)
      throw new ChurnError(
        'INVALID_CHURN_INPUT',
        `churn feature '${name}' is not built in: a churn result using it cannot cross threads`,
        name,
      );
    return def;
  });
  const n = p.probability.length;
  const k = p.driverCount;
  const q = p.driverBasis.featureNames.length;
  const { raw, rowOf } = p.featureTable;
  const featureRow = (c: number) =>
    c >= 0 && c < n && rowOf[c] >= 0 ? raw.subarray(rowOf[c] * q, (rowOf[c] + 1) * q) : null;
  const perCustomer: ChurnPerCustomer = {
    ...p,
    risk: Array.from(p.risk, (r) => RISKS[r]),
    featureRow,
    drivers: (c) => {
      const row = featureRow(c);
      return row === null
        ? []
        : describeDrivers(
            p.driverBasis,
            row,
            p.driverFeature.subarray(c * k, (c + 1) * k),
            p.driverContribution.subarray(c * k, (c + 1) * k),
          );
    },
  };
  return { ...portable, model: { ...model, spec: { ...model.spec, features } }, perCustomer };
}
