/**
 * The seeded HubSpot sandbox for the bench, behind an outer express app that counts every request by route
 * family with its answer's status (independent of the connector's counters) and keeps arrival times. It runs
 * in the stage's own process ('in-process') or in a child process ('child'), so that serving 100-contact
 * batches does not delay the client's timers and requests on the same event loop.
 */
import express from 'express';
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createHubSpotSandbox, type HubSpotSandbox } from '../connectors/hubspot/sandbox';
import { clvDigest, countRequest, type RequestCounts } from './hubspot-bench-kit';

export type SandboxMode = 'in-process' | 'child';
export const SANDBOX_MODES: readonly SandboxMode[] = ['in-process', 'child'];

export type HostOptions = {
  token: string;
  portalId: string;
  seed: number;
  contacts: number;
  perTenSeconds: number;
};

export type SandboxSnapshot = {
  counts: RequestCounts;
  /** Arrival times (epoch ms) of batch-update requests, and their statuses, since the start. */
  updateArrivals: { at: number; status: number }[];
  /** Arrival times (epoch ms) of every request the rate limit counts. */
  arrivals: number[];
};

export type SandboxHost = {
  mode: SandboxMode;
  url: string;
  /** Milliseconds to seed the portal. */
  seedMs: number;
  snapshot(): Promise<SandboxSnapshot>;
  contactIds(): Promise<string[]>;
  /** Objects per type in the sandbox's store. */
  objectCounts(): Promise<Record<string, number>>;
  /** clvDigest of the sandbox's contacts, in store order. */
  digest(): Promise<string>;
  /** Peak RSS (MiB) of the process serving the sandbox. */
  peakRssMiB(): Promise<number>;
  close(): Promise<void>;
};

type Served = {
  url: string;
  sandbox: HubSpotSandbox;
  seedMs: number;
  snapshot(): SandboxSnapshot;
  close(): Promise<void>;
};

/** Seeds the sandbox and serves it on 127.0.0.1 behind the counting app, in this process. */
export async function serveCountingSandbox(options: HostOptions): Promise<Served> {
  const started = performance.now();
  const sandbox = createHubSpotSandbox({
    token: options.token,
    portalId: options.portalId,
    seed: options.seed,
    contacts: options.contacts,
    rateLimit: { perTenSeconds: options.perTenSeconds },
  });
  const seedMs = performance.now() - started;
  const counts: RequestCounts = {};
  const updateArrivals: { at: number; status: number }[] = [];
  const arrivals: number[] = [];
  const outer = express();
  outer.disable('x-powered-by');
  outer.use((req, res, next) => {
    const at = Date.now();
    const isSearch = req.method === 'POST' && /\/search$/.test(req.path);
    if (!isSearch && !req.path.startsWith('/oauth/')) arrivals.push(at);
    res.on('finish', () => {
      const body = req.body as { inputs?: unknown } | undefined;
      const inputs = Array.isArray(body?.inputs) ? body.inputs.length : 0;
      countRequest(counts, req.method, req.path, res.statusCode, inputs);
      if (req.method === 'POST' && /^\/crm\/v3\/objects\/contacts\/batch\/update$/.test(req.path))
        updateArrivals.push({ at, status: res.statusCode });
    });
    next();
  });
  outer.use(sandbox.app);
  const server = createServer(outer);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sandbox,
    seedMs,
    snapshot: () => ({
      counts: structuredClone(counts),
      updateArrivals: updateArrivals.slice(),
      arrivals: arrivals.slice(),
    }),
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : done()));
      }),
  };
}

function contactIdsOf(sandbox: HubSpotSandbox): string[] {
  return sandbox.store.objects.contacts.ids.slice();
}

function objectCountsOf(sandbox: HubSpotSandbox): Record<string, number> {
  return Object.fromEntries(Object.entries(sandbox.store.objects).map(([type, t]) => [type, t.ids.length]));
}

function digestOf(sandbox: HubSpotSandbox): string {
  const table = sandbox.store.objects.contacts;
  return clvDigest(table.ids, (id) => table.byId.get(id)?.properties);
}

const peakRss = (): number => process.resourceUsage().maxRSS / 1024;

/** Child-process protocol: requests carry an id, answers echo it. */
export type HostRequest = { id: number; op: 'snapshot' | 'ids' | 'sizes' | 'digest' | 'rss' | 'close' };
export type HostAnswer = { id: number; value: unknown } | { ready: true; url: string; seedMs: number };

/** Inside the child (hubspot-sandbox-process.ts): serve and answer the parent's requests. */
export async function runSandboxChild(options: HostOptions): Promise<void> {
  const served = await serveCountingSandbox(options);
  const send = (m: HostAnswer) => process.send?.(m);
  // The stage process died or closed the channel: never outlive it as an orphan server.
  process.once('disconnect', () => {
    void served
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
  process.on('message', async (m: HostRequest) => {
    switch (m.op) {
      case 'snapshot':
        return send({ id: m.id, value: served.snapshot() });
      case 'ids':
        return send({ id: m.id, value: contactIdsOf(served.sandbox) });
      case 'sizes':
        return send({ id: m.id, value: objectCountsOf(served.sandbox) });
      case 'digest':
        return send({ id: m.id, value: digestOf(served.sandbox) });
      case 'rss':
        return send({ id: m.id, value: peakRss() });
      case 'close':
        await served.close();
        send({ id: m.id, value: null });
        process.disconnect?.();
        return;
    }
  });
  send({ ready: true, url: served.url, seedMs: served.seedMs });
}

export async function hostSandbox(options: HostOptions, mode: SandboxMode): Promise<SandboxHost> {
  if (mode === 'in-process') {
    const served = await serveCountingSandbox(options);
    return {
      mode,
      url: served.url,
      seedMs: served.seedMs,
      snapshot: async () => served.snapshot(),
      contactIds: async () => contactIdsOf(served.sandbox),
      objectCounts: async () => objectCountsOf(served.sandbox),
      digest: async () => digestOf(served.sandbox),
      peakRssMiB: async () => peakRss(),
      close: () => served.close(),
    };
  }
  const child: ChildProcess = fork(
    path.join(__dirname, 'hubspot-sandbox-process.js'),
    [JSON.stringify(options)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
  );
  const waiting = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  const ready = new Promise<{ url: string; seedMs: number }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`the sandbox process exited with ${code} before it was ready`)),
    );
    child.on('message', (m: HostAnswer) => {
      if ('ready' in m) resolve(m);
      else {
        waiting.get(m.id)?.(m.value);
        waiting.delete(m.id);
      }
    });
  });
  const { url, seedMs } = await ready;
  const ask = <T>(op: HostRequest['op']): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ id, op } satisfies HostRequest);
    });
  return {
    mode,
    url,
    seedMs,
    snapshot: () => ask<SandboxSnapshot>('snapshot'),
    contactIds: () => ask<string[]>('ids'),
    objectCounts: () => ask<Record<string, number>>('sizes'),
    digest: () => ask<string>('digest'),
    peakRssMiB: () => ask<number>('rss'),
    close: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask<null>('close');
      await exited;
    },
  };
}
