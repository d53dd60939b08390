// The serve host end to end: the real CLI process, the real renderer in Chromium, real HTTP and
// WebSocket requests. Covers the install panel and every serve-mode security check.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir } from './harness';

function makeInstall(): string {
  const root = tempDir('install');
  fs.mkdirSync(path.join(root, 'logs'));
  fs.writeFileSync(
    path.join(root, 'logs', 'aura-api-20251208.log'),
    '[2025-12-08 09:14:02.118 +00:00] [INF] [] [] [] Logging initialized {"Application":"Aura.Api"}\n',
  );
  const db = new Database(path.join(root, 'aura.db'));
  db.exec('CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT PRIMARY KEY, "ProductVersion" TEXT NOT NULL)');
  db.close();
  fs.writeFileSync(path.join(root, 'appsettings.json'), '{ // comments are allowed\n "Urls": "http://127.0.0.1:5999" }');
  return root;
}

function rawRequest(port: number, opts: { path?: string; host?: string; headers?: Record<string, string> }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path ?? '/', headers: { Host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function wsAttempt(port: number, headers: Record<string, string>) {
  return new Promise<{ opened: boolean; status?: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.on('error', () => resolve({ opened: false }));
  });
}

const skip = missingTool('chromium', 'e2e foundation');

describe.skipIf(skip)('serve host with an install', () => {
  let install = '';
  const ui = useConsole(() => ({ install: (install = makeInstall()) }));

  it('shows the attached install with its real paths after opening the tokenised URL', async () => {
    const { page } = ui.browser;
    await page.goto(ui.serve.openUrl);
    await page.getByRole('tab', { name: 'Install' }).click();
    const panel = page.getByTestId('install-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('fact-Data root').textContent()).toContain(install);
    expect(await page.getByTestId('fact-aura.db').textContent()).toContain(path.join(install, 'aura.db'));
    expect(await page.getByTestId('fact-Logs').textContent()).toContain('1 log files');
    expect(await panel.textContent()).toContain('http://127.0.0.1:5999');
    expect(await page.getByTestId('header-install').textContent()).toContain(install);
    // The token left the address bar once exchanged for the cookie.
    expect(page.url()).not.toContain('token=');
    const cookies = await ui.browser.context.cookies();
    const c = cookies.find((x) => x.name === `aura_ops_${ui.serve.port}`);
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Strict');
  });

  it('answers 401 without the token and with a wrong token', async () => {
    const none = await rawRequest(ui.serve.port, {});
    expect(none.status).toBe(401);
    expect(none.body).not.toContain('/assets/');
    const wrong = await rawRequest(ui.serve.port, { headers: { Authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    const right = await rawRequest(ui.serve.port, { headers: { Authorization: `Bearer ${ui.serve.token}` } });
    expect(right.status).toBe(200);
    expect(right.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers 403 to a foreign Host header (DNS rebinding)', async () => {
    const res = await rawRequest(ui.serve.port, { host: 'evil.example', headers: { Authorization: `Bearer ${ui.serve.token}` } });
    expect(res.status).toBe(403);
    const ok = await rawRequest(ui.serve.port, { host: `localhost:${ui.serve.port}`, headers: { Authorization: `Bearer ${ui.serve.token}` } });
    expect(ok.status).toBe(200);
  });

  it('refuses a WebSocket upgrade from another origin, accepts its own', async () => {
    const auth = { Authorization: `Bearer ${ui.serve.token}` };
    expect(await wsAttempt(ui.serve.port, { ...auth, Origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await wsAttempt(ui.serve.port, { ...auth })).toEqual({ opened: false, status: 403 });
    expect((await wsAttempt(ui.serve.port, { Origin: `http://127.0.0.1:${ui.serve.port}` })).status).toBe(401);
    expect(await wsAttempt(ui.serve.port, { ...auth, Origin: `http://127.0.0.1:${ui.serve.port}` })).toEqual({ opened: true });
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await rawRequest(ui.serve.port, { path: '/../../package.json', headers: { Authorization: `Bearer ${ui.serve.token}` } });
    expect(res.body).not.toContain('"name": "aura-ops"');
  });
});

describe.skipIf(skip)('serve host with no install anywhere', () => {
  const ui = useConsole({ args: ['--no-demo'] });

  it('says no Aura install was found and what to do', async () => {
    const { page } = ui.browser;
    await page.goto(ui.serve.openUrl);
    const empty = page.getByTestId('no-install');
    await empty.waitFor();
    const text = await empty.textContent();
    expect(text).toContain('No Aura install found');
    expect(text).toContain('add its data folder');
  });
});

describe.skipIf(skip)('the built-in demo install', () => {
  const ui = useConsole();

  it('is created, run and attached when no install is found, and its scenario switches from the console', async () => {
    expect(ui.serve.output()).toMatch(/Demo install \(sandbox Aura\) running at (http:\/\/127\.0\.0\.1:\d+)/);
    const apiUrl = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(ui.serve.output())![1]!;
    const { page } = ui.browser;
    await page.goto(ui.serve.openUrl);
    await page.getByRole('tab', { name: 'Install' }).click();
    await page.getByTestId('demo-controls').waitFor();
    expect(await page.getByTestId('header-install').textContent()).toContain('Demo');
    expect(fs.existsSync(path.join(ui.serve.dataDir, 'demo', 'aura.db'))).toBe(true);

    const ready = async () => (await fetch(`${apiUrl}/health/ready`)).status;
    expect(await ready()).toBe(200);
    await page.selectOption('select[aria-label=Scenario]', 'db-corrupt');
    await expect.poll(() => page.getByTestId('demo-controls').textContent(), { timeout: 10_000 }).toContain('Runbook: Database Issues');
    const state = JSON.parse(fs.readFileSync(path.join(ui.serve.dataDir, 'demo', '.aura-sandbox', 'state.json'), 'utf8')) as { scenario: string };
    expect(state.scenario).toBe('db-corrupt');
  });
});
