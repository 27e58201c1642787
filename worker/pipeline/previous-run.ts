/**
 * What a previous run left, so segment ids stay stable across runs: the segment model and each customer's
 * segment, from the store (a tenant's last run) or from an exported output directory (`--previous-run DIR`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterModel } from '../analytics/segments/clusters';

export type PreviousRun = {
  model: ClusterModel;
  segmentByCustomer?: ReadonlyMap<string, string>;
  /** The exported run's directory, when read from one (its report.json holds the previous totals). */
  dir?: string;
};

export const SEGMENT_MODEL_FILE = 'segment-model.json';

export class PreviousRunError extends Error {
  readonly code = 'INPUT_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'PreviousRunError';
  }
}

export async function readPreviousRun(dir: string): Promise<PreviousRun> {
  const modelPath = join(dir, SEGMENT_MODEL_FILE);
  let model: ClusterModel;
  try {
    model = JSON.parse(await readFile(modelPath, 'utf8')) as ClusterModel;
  } catch (error) {
    throw new PreviousRunError(
      `--previous-run ${dir}: cannot read ${modelPath} (${error instanceof Error ? error.message : String(error)}); ` +
        'point it at the --out directory of an earlier crm-clv score run.',
    );
  }
  return {
    model: asSegmentModel(model, modelPath),
    segmentByCustomer: await readSegmentColumn(join(dir, 'scores.csv')),
    dir,
  };
}

/**
 * The previous run from the store: the tenant's stored segment model and its last Scores' segments (customer
 * id → segment id, RecordStore.readScoreSegments; none when it was never scored).
 */
export function previousRunFromState(
  segmentModel: unknown,
  segments: ReadonlyMap<string, string> | undefined,
  where: string,
): PreviousRun | undefined {
  if (segmentModel === undefined) return undefined;
  return { model: asSegmentModel(segmentModel, where), segmentByCustomer: segments ?? new Map() };
}

function asSegmentModel(value: unknown, where: string): ClusterModel {
  const model = value as ClusterModel | null;
  if (model?.version !== 1 || !Array.isArray(model.ids) || !Array.isArray(model.centroids))
    throw new PreviousRunError(`${where} is not a crm-clv segment model (version 1).`);
  return model;
}

/** customer_id → segment_id from a scores.csv; undefined when the file is absent (no migration matrix then). */
async function readSegmentColumn(path: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const header = lines[0].split(',');
  const idCol = header.indexOf('customer_id');
  const segCol = header.indexOf('segment_id');
  if (idCol < 0 || segCol < 0) return undefined;
  const map = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    // Ids and segment ids are written unquoted unless they contain a comma; those rows are skipped here.
    const cells = lines[i].split(',');
    if (cells[0].startsWith('"')) continue;
    map.set(cells[idCol], cells[segCol]);
  }
  return map;
}
