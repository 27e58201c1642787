/** playbooks/ is pure and imports domain/ only (lint says so too; this says it for type-only imports as well). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PLAYBOOKS_DIR } from './builders';

const ROOT = resolve(PLAYBOOKS_DIR, '..');
const ALLOWED_PACKAGES = new Set(['handlebars', 'zod', 'node:fs', 'node:path']);

it('playbooks import only domain/, each other, handlebars, zod and the file system (to load their files)', () => {
  const files = readdirSync(PLAYBOOKS_DIR).filter((f) => f.endsWith('.ts'));
  expect(files).toContain('index.ts');
  for (const file of files) {
    const path = join(PLAYBOOKS_DIR, file);
    for (const { fileName } of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) {
        expect(`${file}: ${fileName}`).toBe(
          `${file}: ${ALLOWED_PACKAGES.has(fileName) ? fileName : '(not allowed)'}`,
        );
        continue;
      }
      const target = relative(ROOT, resolve(dirname(path), fileName));
      expect(target).toMatch(/^(domain|playbooks)\//);
    }
  }
});
