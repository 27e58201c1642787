/**
 * The deploy manifest (app.json, the Heroku/Dokku/Scalingo schema) and the Procfile describe what the code
 * runs: a web and a worker process on commands the CLI has, a Redis add-on, and every deployment variable the
 * code reads, each with a description.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../cli/main';
import { REPO_ROOT } from '../helpers/run-cli';

type AppJson = {
  formation: Record<string, { quantity: number }>;
  addons: { plan: string }[];
  env: Record<string, { description: string }>;
};

const app = JSON.parse(readFileSync(join(REPO_ROOT, 'app.json'), 'utf8')) as AppJson;
const procfile = readFileSync(join(REPO_ROOT, 'Procfile'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the deploy manifest', () => {
  it('declares a web and a worker process and a Redis add-on', () => {
    expect(Object.keys(app.formation).sort()).toEqual(['web', 'worker']);
    expect(app.addons.some((a) => a.plan.includes('redis'))).toBe(true);
  });

  it('runs processes on commands the CLI has', () => {
    const commands = new Set(buildProgram().commands.map((c) => c.name()));
    const lines = procfile.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['web', 'worker']);
    for (const line of lines) {
      const [, command] = /node dist\/cli\/main\.js (\S+)/.exec(line) ?? [];
      expect(commands.has(command)).toBe(true);
    }
  });

  it('documents every deployment variable the processes read', () => {
    const read = new Set<string>();
    for (const dir of ['worker', 'cli', 'connectors'])
      for (const file of sources(join(REPO_ROOT, dir)))
        for (const m of readFileSync(file, 'utf8').matchAll(
          /process\.env\.((?:CRM_CLV|REDIS)_[A-Z_]*|REDIS_URL)\b/g,
        ))
          read.add(m[1]);
    expect(read.size).toBeGreaterThan(2);
    const missing = [...read].filter((name) => app.env[name] === undefined && name !== 'CRM_CLV_DEBUG');
    expect(missing).toEqual([]);
    for (const [name, spec] of Object.entries(app.env))
      expect([name, spec.description.length > 10]).toEqual([name, true]);
  });
});
