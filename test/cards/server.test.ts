/**
 * The web process as a client sees it: probes, metrics, the admin board and the OAuth install, against a real
 * Redis under a prefix of this file's own, and against a Redis URL nothing answers.
 */
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { deleteKeys, testRedis, type TestRedis } from '../helpers/test-redis';
import { tempDir } from '../helpers/run-cli';
import { basic, startCards, type RunningCards } from './serve-harness';

const NOBODY_ANSWERS = 'redis://127.0.0.1:1';
const ADMIN = { CRM_CLV_ADMIN_USER: 'ops', CRM_CLV_ADMIN_PASSWORD: `pw-${randomBytes(8).toString('hex')}` };

let t: TestRedis;
let up: RunningCards;
let down: RunningCards;
let queues: Queue[];

beforeAll(async () => {
  t = await testRedis();
  // The worker's side: a job waiting in sync, a delayed one in score, under this file's own prefix.
  queues = ['sync', 'score'].map((name) => new Queue(name, { connection: t.redis, prefix: `{${t.prefix}}` }));
  await queues[0].add('sync', { tenant: 'hubspot-1000' });
  await queues[1].add('score', { tenant: 'hubspot-1000' }, { delay: 3_600_000 });
  up = await startCards({ redisUrl: process.env.REDIS_URL, redisPrefix: t.prefix, env: { ...ADMIN } });
  down = await startCards({ redisUrl: NOBODY_ANSWERS, redisPrefix: t.prefix, env: { ...ADMIN } });
});

afterAll(async () => {
  await up.close();
  await down.close();
  await Promise.all(queues.map((q) => q.close()));
  await deleteKeys(t.redis, `{${t.prefix}}:*`);
  await t.cleanup();
});

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

describe('health and readiness', () => {
  it('/health answers 200 whether or not Redis answers', async () => {
    for (const server of [up, down]) {
      const res = await server.get('/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('/ready answers 200 when Redis answers PING', async () => {
    const res = await up.get('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, checks: { redis: 'ok' } });
  });

  it('/ready answers 503 within 3 s, saying Redis is not ready and where, when nothing answers', async () => {
    const { value: res, ms } = await timed(() => down.get('/ready'));
    expect(ms).toBeLessThan(3000);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ready: boolean; checks: { redis: string }; message: string };
    expect(body.ready).toBe(false);
    expect(body.checks.redis).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:1 does not answer/);
    expect(body.message).toMatch(/start redis-server or set REDIS_URL/);
    // Asked again, it tries again (and fails fast again) rather than remembering the first answer.
    const again = await timed(() => down.get('/ready'));
    expect(again.value.status).toBe(503);
    expect(again.ms).toBeLessThan(3000);
  });
});

describe('/metrics', () => {
  it('is Prometheus text with process metrics, the queue gauges per stage and state, and HTTP counts', async () => {
    await up.get('/health');
    const res = await up.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();

    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toContain('# TYPE crm_clv_queue_jobs gauge');
    expect(text).toContain('crm_clv_queue_metrics_up 1');
    expect(text).toContain('crm_clv_queue_jobs{queue="sync",state="waiting"} 1');
    expect(text).toContain('crm_clv_queue_jobs{queue="score",state="delayed"} 1');
    expect(text).toContain('crm_clv_queue_jobs{queue="score",state="waiting"} 0');
    for (const queue of ['sync', 'score', 'writeback'])
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'])
        expect(text).toMatch(
          new RegExp(`^crm_clv_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+$`, 'm'),
        );
    expect(text).toMatch(/^crm_clv_http_requests_total\{method="GET",route="\/health",status="200"\} [1-9]/m);
    expect(text).toMatch(
      /^crm_clv_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/m,
    );
  });

  it('labels unknown paths "unmatched", so request paths never become label values', async () => {
    await up.get('/no/such/path-' + randomBytes(4).toString('hex'));
    const text = await (await up.get('/metrics')).text();
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).not.toContain('path-');
  });

  it('still answers within 3 s when Redis does not, with the queue series left out and up = 0', async () => {
    const { value: res, ms } = await timed(() => down.get('/metrics'));
    expect(ms).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('crm_clv_queue_metrics_up 0');
    expect(text).not.toMatch(/^crm_clv_queue_jobs\{/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });
});

describe('/admin/queues', () => {
  it('answers 401 with a Basic challenge without credentials', async () => {
    const res = await up.get('/admin/queues');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="crm-clv admin"/);
    expect(await res.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('answers 401 to a wrong password, a wrong user and a malformed header', async () => {
    for (const headers of [
      basic(ADMIN.CRM_CLV_ADMIN_USER, 'wrong'),
      basic(ADMIN.CRM_CLV_ADMIN_USER, ADMIN.CRM_CLV_ADMIN_PASSWORD + 'x'),
      basic('admin', ADMIN.CRM_CLV_ADMIN_PASSWORD),
      { authorization: `Bearer ${ADMIN.CRM_CLV_ADMIN_PASSWORD}` },
      { authorization: 'Basic not-base64!' },
    ]) {
      const res = await up.get('/admin/queues/api/queues', headers);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(ADMIN.CRM_CLV_ADMIN_PASSWORD);
    }
  });

  it('shows the board with the right credentials', async () => {
    const auth = basic(ADMIN.CRM_CLV_ADMIN_USER, ADMIN.CRM_CLV_ADMIN_PASSWORD);
    const page = await up.get('/admin/queues', auth);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('crm-clv queues');

    const api = await up.get('/admin/queues/api/queues', auth);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([
      'report',
      'retrain',
      'schedule',
      'score',
      'score-shard',
      'sync',
      'writeback',
    ]);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('is read-only: a pause is refused with 405 and the queue stays as it was', async () => {
    const res = await fetch(`${up.base}/admin/queues/api/queues/sync/pause`, {
      method: 'PUT',
      headers: basic(ADMIN.CRM_CLV_ADMIN_USER, ADMIN.CRM_CLV_ADMIN_PASSWORD),
    });
    expect(res.status).toBe(405);
    await expect(queues[0].isPaused()).resolves.toBe(false);
  });

  it('answers 503 asking for CRM_CLV_ADMIN_PASSWORD when none is configured, even to any credentials', async () => {
    const closed = await startCards({ redisUrl: process.env.REDIS_URL, redisPrefix: t.prefix, env: {} });
    try {
      for (const headers of [{}, basic('admin', ''), basic('admin', 'admin')]) {
        const res = await closed.get('/admin/queues', headers);
        expect(res.status).toBe(503);
        expect(((await res.json()) as { message: string }).message).toMatch(/set CRM_CLV_ADMIN_PASSWORD/);
      }
    } finally {
      await closed.close();
    }
  });

  it('answers 503 naming Redis, after authentication, when Redis does not answer', async () => {
    expect((await down.get('/admin/queues')).status).toBe(401);
    const res = await down.get(
      '/admin/queues',
      basic(ADMIN.CRM_CLV_ADMIN_USER, ADMIN.CRM_CLV_ADMIN_PASSWORD),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'REDIS_NOT_READY' });
  });
});

describe('OAuth install routes', () => {
  const APP_ENV = {
    HUBSPOT_CLIENT_ID: 'client-id',
    HUBSPOT_CLIENT_SECRET: `secret-${randomBytes(8).toString('hex')}`,
    HUBSPOT_REDIRECT_URI: 'https://cards.example.com/oauth/callback',
  };

  it('answers 503 naming every missing variable when OAuth is not configured', async () => {
    const res = await up.get('/oauth/install');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; message: string; missing: string[] };
    expect(body.error).toBe('HUBSPOT_OAUTH_NOT_CONFIGURED');
    expect(body.missing).toEqual([
      'HUBSPOT_CLIENT_ID',
      'HUBSPOT_CLIENT_SECRET',
      'HUBSPOT_REDIRECT_URI',
      'CRM_CLV_TOKEN_KEY',
    ]);
    for (const name of body.missing) expect(body.message).toContain(name);
    expect((await up.get('/oauth/callback?code=x&state=y')).status).toBe(503);
  });

  it('names only what is missing, and says an invalid key is invalid without repeating it', async () => {
    const partial = await startCards({ redisUrl: NOBODY_ANSWERS, env: { ...APP_ENV } });
    const badKey = await startCards({
      redisUrl: NOBODY_ANSWERS,
      env: { ...APP_ENV, CRM_CLV_TOKEN_KEY: 'not-a-key' },
    });
    try {
      const missingKey = (await (await partial.get('/oauth/install')).json()) as { missing: string[] };
      expect(missingKey.missing).toEqual(['CRM_CLV_TOKEN_KEY']);
      const res = await badKey.get('/oauth/install');
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).toMatch(/CRM_CLV_TOKEN_KEY must be 32 bytes/);
      expect(text).not.toContain('not-a-key');
      expect(text).not.toContain(APP_ENV.HUBSPOT_CLIENT_SECRET);
    } finally {
      await partial.close();
      await badKey.close();
    }
  });

  it('mounts the install router when configured: /oauth/install redirects to HubSpot', async () => {
    const configured = await startCards({
      redisUrl: NOBODY_ANSWERS,
      dataDir: tempDir('cards-oauth'),
      env: { ...APP_ENV, CRM_CLV_TOKEN_KEY: randomBytes(32).toString('base64') },
    });
    try {
      expect(configured.cards.status.oauth).toBe('on');
      const res = await configured.get('/oauth/install');
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe('https://app.hubspot.com/oauth/authorize');
      expect(location.searchParams.get('client_id')).toBe('client-id');
      expect(location.searchParams.get('redirect_uri')).toBe(APP_ENV.HUBSPOT_REDIRECT_URI);
      expect(location.searchParams.get('scope')).toContain('crm.objects.contacts.write');
      expect(res.headers.get('location')).not.toContain(APP_ENV.HUBSPOT_CLIENT_SECRET);
    } finally {
      await configured.close();
    }
  });
});
