/**
 * Finds response fields the SDK's generated models would drop (NOTES §5.3: unknown fields are dropped from typed
 * models). Walks the raw JSON against each model's `attributeTypeMap`, following nested model, array and map
 * types; a non-empty answer means the sandbox sends something the real client cannot see.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Attribute = { name: string; baseName: string; type: string };
type ModelClass = { getAttributeTypeMap(): Attribute[] };

// The generated models are CommonJS files addressed by name; jest's vm rejects a dynamic import() here.
const load = createRequire(__filename);
const MODELS_ROOT = join(__dirname, '../../../../node_modules/@hubspot/api-client/lib/codegen');

function loadModel(modelsDir: string, name: string): ModelClass | undefined {
  const file = join(MODELS_ROOT, modelsDir, 'models', `${name}.js`);
  if (!existsSync(file)) return undefined;
  const module = load(file) as Record<string, ModelClass>;
  return module[name];
}

export async function fieldsTheModelDrops(
  json: unknown,
  modelsDir: string,
  type: string,
  path = '$',
): Promise<string[]> {
  if (json === null || json === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    const items = Array.isArray(json) ? json : [];
    const nested = await Promise.all(
      items.map((item, i) => fieldsTheModelDrops(item, modelsDir, array[1], `${path}[${i}]`)),
    );
    return nested.flat();
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    const entries = Object.entries(json as Record<string, unknown>);
    const nested = await Promise.all(
      entries.map(([k, v]) => fieldsTheModelDrops(v, modelsDir, map[1], `${path}.${k}`)),
    );
    return nested.flat();
  }
  const model = loadModel(modelsDir, type);
  if (!model || typeof json !== 'object') return [];
  const attributes = model.getAttributeTypeMap();
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) dropped.push(`${path}.${key}`);
    else dropped.push(...(await fieldsTheModelDrops(value, modelsDir, attribute.type, `${path}.${key}`)));
  }
  return dropped;
}
