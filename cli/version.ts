/** The package version, read from package.json beside the sources (cli/) or the build (dist/cli/). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

export function packageVersion(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      cached = (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
      return cached;
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}
