/** The public datasets beside the repository (../shared/data), as seen from a compiled stage in dist/bench/stages. */
import path from 'node:path';

export const ONLINE_RETAIL_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'online-retail',
  'online_retail.csv.gz',
);
