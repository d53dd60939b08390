// The serve host end to end: the real CLI process, the real renderer in Chromium, real HTTP and
// WebSocket requests. Covers the install panel and every serve-mode security check.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  AUTH_PATH,
  SESSION_PROTOCOL_PREFIX,
  SESSION_STORAGE_KEY,
  TOKEN_HEADER,
  WS_PROTOCOL,
} from '../../src/shared/serve-handshake';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { rawRequest, signIn, waitFor } from './serve-client';

function makeInstall(): string {
  const root = tempDir('install');
  fs.mkdirSync(path.join(root, 'logs'));
  fs.writeFileSync(
    path.join(root, 'logs', 'aura-api-20251208.log'),
    '[2025-12-08 09:14:02.118 +00:00] [INF] [] [] [] Logging initialized {"Application":"Aura.Api"}\n',
  );
  const db = new Database(path.join(root, 'aura.db'));
  db.exec(
    'CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT PRIMARY KEY, "ProductVersion" TEXT NOT NULL)',
  );
  db.close();
  fs.writeFileSync(
    path.join(root, 'appsettings.json'),
    '{ // comments are allowed\n "Urls": "http://127.0.0.1:5999" }',
  );
  return root;
}

/** How long the host may take to answer an upgrade on a loaded machine. */
const WS_ATTEMPT_DEADLINE_MS = 4_000;

/** Tries to open /ws with exactly these headers and subprotocols; what the host answered. */
function wsAttempt(port: number, headers: Record<string, string>, protocols: string[] = []) {
  return new Promise<{ opened: boolean; status?: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, protocols, { headers });
    ws.on('open', () => {
      ws.close();
      done({ opened: true });
    });
    // A host that never answers shows as status -1 after the deadline, not as a test timeout.
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ opened: false, status: -1 });
    }, WS_ATTEMPT_DEADLINE_MS);
    const done = (r: { opened: boolean; status?: number }) => {
      clearTimeout(timer);
      resolve(r);
    };
    ws.on('unexpected-response', (_req, res) => {
      done({ opened: false, status: res.statusCode });
      ws.terminate();
    });
    ws.on('error', () => done({ opened: false }));
  });
}

const skip = missingTool('chromium', 'e2e foundation');

describe.skipIf(skip)('serve host with an install', () => {
  let install = '';
  const ui = useConsole(() => ({ install: (install = makeInstall()) }));

  it('opens the console as a new document each time, even on a page that already shows it', async () => {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
    await page.getByTestId('header-install').waitFor();
    // The token has left the address bar: a bare goto(openUrl) now would only change the fragment.
    expect(page.url()).not.toContain('#token=');
    await page.evaluate(() => Object.assign(window, { leftByTheLastTest: true }));
    await openConsole(page, ui.serve);
    await page.getByTestId('header-install').waitFor();
    expect(await page.evaluate(() => 'leftByTheLastTest' in window)).toBe(false);
  });

  it('shows the attached install with its real paths after opening the tokenised URL', async () => {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
    await page.getByRole('tab', { name: 'Install' }).click();
    const panel = page.getByTestId('install-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('fact-Data root').textContent()).toContain(install);
    expect(await page.getByTestId('fact-aura.db').textContent()).toContain(path.join(install, 'aura.db'));
    expect(await page.getByTestId('fact-Logs').textContent()).toContain('1 log files');
    expect(await panel.textContent()).toContain('http://127.0.0.1:5999');
    expect(await page.getByTestId('header-install').textContent()).toContain(install);
    // The token left the address bar once traded for a session, which this tab keeps in
    // sessionStorage (per origin, port included); no cookie carries anything.
    expect(page.url()).not.toContain('token=');
    expect(await ui.browser.context.cookies()).toEqual([]);
    expect(await page.evaluate((k) => sessionStorage.getItem(k), SESSION_STORAGE_KEY)).toMatch(
      /^[\w-]{32,}$/,
    );
    // A reload in the same tab keeps working without the token.
    await page.reload();
    await page.getByRole('tab', { name: 'Install' }).click();
    await expect.poll(() => page.getByTestId('fact-Data root').textContent()).toContain(install);
  });

  it('loads with no error in the browser console and with its icon', async () => {
    const tab = await ui.browser.context.newPage();
    const problems: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    tab.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    try {
      await openConsole(tab, ui.serve);
      await tab.getByTestId('header-install').waitFor();
      await expect.poll(() => tab.getByTestId('header-install').textContent()).toContain(install);
      const icon = await tab.evaluate(
        () => (document.querySelector('link[rel=icon]') as HTMLLinkElement | null)?.href ?? '',
      );
      const res = await rawRequest(ui.serve.port, { path: new URL(icon).pathname });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml');
      expect(problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('a tab opened without the token says how to get in, and gets nothing', async () => {
    const other = await ui.browser.context.newPage();
    try {
      await other.goto(ui.serve.url);
      const msg = other.getByTestId('signed-out');
      await msg.waitFor();
      expect(await msg.textContent()).toContain('aura-ops serve');
      await other.goto(`${ui.serve.url}#token=not-the-token-at-all`);
      await other.reload(); // a fragment change alone does not load the page again
      await expect.poll(() => other.getByTestId('signed-out').textContent()).toContain('not valid');
      expect(other.url()).not.toContain('token=');
    } finally {
      await other.close();
    }
  });

  it("trades the token for a session only with the token and the console's own Origin", async () => {
    const port = ui.serve.port;
    const origin = `http://127.0.0.1:${port}`;
    const post = (headers: Record<string, string>) =>
      rawRequest(port, { method: 'POST', path: AUTH_PATH, headers });
    expect((await post({ Origin: origin })).status).toBe(401);
    expect((await post({ Origin: origin, [TOKEN_HEADER]: 'not-the-token-at-all' })).status).toBe(401);
    expect((await post({ [TOKEN_HEADER]: ui.serve.token })).status).toBe(401);
    expect((await post({ Origin: 'http://127.0.0.1:1', [TOKEN_HEADER]: ui.serve.token })).status).toBe(401);
    expect(
      (
        await rawRequest(port, {
          path: AUTH_PATH,
          headers: { Origin: origin, [TOKEN_HEADER]: ui.serve.token },
        })
      ).status,
    ).toBe(401);
    const ok = await post({ Origin: origin, [TOKEN_HEADER]: ui.serve.token });
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']).toBeUndefined();
    expect((JSON.parse(ok.body) as { session: string }).session).toMatch(/^[\w-]{32,}$/);
    // The page itself is public (it holds no secret) and carries the CSP.
    const page = await rawRequest(port, {});
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('answers 403 to a foreign Host header (DNS rebinding)', async () => {
    const res = await rawRequest(ui.serve.port, { host: 'evil.example' });
    expect(res.status).toBe(403);
    const ok = await rawRequest(ui.serve.port, { host: `localhost:${ui.serve.port}` });
    expect(ok.status).toBe(200);
    const signIn = await rawRequest(ui.serve.port, {
      method: 'POST',
      path: AUTH_PATH,
      host: 'evil.example',
      headers: { Origin: 'http://evil.example', [TOKEN_HEADER]: ui.serve.token },
    });
    expect(signIn.status).toBe(403);
  });

  it('opens /ws only for its own Origin with the session in the subprotocol', async () => {
    const port = ui.serve.port;
    const origin = { Origin: `http://127.0.0.1:${port}` };
    const good = [WS_PROTOCOL, SESSION_PROTOCOL_PREFIX + (await signIn(ui.serve))];
    expect(await wsAttempt(port, { Origin: 'http://evil.example' }, good)).toEqual({
      opened: false,
      status: 403,
    });
    expect(await wsAttempt(port, {}, good)).toEqual({ opened: false, status: 403 });
    expect(await wsAttempt(port, origin)).toEqual({ opened: false, status: 401 });
    expect(await wsAttempt(port, origin, [WS_PROTOCOL])).toEqual({ opened: false, status: 401 });
    expect(await wsAttempt(port, origin, [WS_PROTOCOL, `${SESSION_PROTOCOL_PREFIX}not-the-session`])).toEqual(
      { opened: false, status: 401 },
    );
    expect(await wsAttempt(port, origin, [WS_PROTOCOL, SESSION_PROTOCOL_PREFIX + ui.serve.token])).toEqual({
      opened: false,
      status: 401,
    });
    expect(
      await wsAttempt(port, origin, [
        SESSION_PROTOCOL_PREFIX + good[1]!.slice(SESSION_PROTOCOL_PREFIX.length),
      ]),
    ).toEqual({ opened: false, status: 401 });
    expect(await wsAttempt(port, { ...origin, Authorization: `Bearer ${ui.serve.token}` })).toEqual({
      opened: false,
      status: 401,
    });
    expect(await wsAttempt(port, origin, good)).toEqual({ opened: true });
  });

  it('a page on another 127.0.0.1 port gets nothing from the browser that opens /ws', async () => {
    const { page, context } = ui.browser;
    await openConsole(page, ui.serve);
    await page.getByTestId('header-install').waitFor();
    const session = await page.evaluate((k) => sessionStorage.getItem(k), SESSION_STORAGE_KEY);
    expect(session).toBeTruthy();
    // The attacker: a listener on another port of the same host that keeps every header the
    // browser sends it, and a page that makes the browser send what it can.
    const seen: http.IncomingHttpHeaders[] = [];
    const evil = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><img src="/img"><script>
        fetch('/fetch', { credentials: 'include' });
        new WebSocket('ws://' + location.host + '/ws');
        try { document.title = String(sessionStorage.length); } catch (e) {}
      </script>`);
    });
    evil.on('upgrade', (req, socket) => {
      seen.push(req.headers);
      socket.destroy();
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const evilPort = (evil.address() as AddressInfo).port;
    const tab = await context.newPage();
    try {
      await tab.goto(`http://127.0.0.1:${evilPort}/`);
      await waitFor(
        'the browser to make its requests to the other port',
        () => seen.length,
        (n) => n >= 4,
      );
      expect(await tab.title()).toBe('0'); // that origin's sessionStorage is its own, and empty
    } finally {
      await tab.close();
      // Chromium keeps its connections to the page alive; close() alone waits for them to time out.
      evil.closeAllConnections();
      await new Promise<void>((r) => evil.close(() => r()));
    }
    const everything = JSON.stringify(seen);
    expect(everything).not.toContain(session!);
    expect(everything).not.toContain(ui.serve.token);
    // Replay each request's headers to the console with its Origin: /ws stays shut.
    for (const h of seen) {
      const replay: Record<string, string> = { Origin: `http://127.0.0.1:${ui.serve.port}` };
      for (const [k, v] of Object.entries(h)) {
        if (
          typeof v === 'string' &&
          !/^(host|origin|connection|upgrade|sec-websocket-(key|version|extensions))$/i.test(k)
        )
          replay[k] = v;
      }
      const protocols =
        typeof h['sec-websocket-protocol'] === 'string'
          ? h['sec-websocket-protocol'].split(',').map((p) => p.trim())
          : [];
      delete replay['sec-websocket-protocol'];
      expect(await wsAttempt(ui.serve.port, replay, protocols)).toEqual({ opened: false, status: 401 });
    }
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await rawRequest(ui.serve.port, { path: '/../../package.json' });
    expect(res.body).not.toContain('"name": "aura-ops"');
  });
});

describe.skipIf(skip)('serve host with no install anywhere', () => {
  const ui = useConsole({ args: ['--no-demo'] });

  it('says no Aura install was found and what to do', async () => {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
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
    await openConsole(page, ui.serve);
    await page.getByRole('tab', { name: 'Install' }).click();
    await page.getByTestId('demo-controls').waitFor();
    expect(await page.getByTestId('header-install').textContent()).toContain('Demo');
    expect(fs.existsSync(path.join(ui.serve.dataDir, 'demo', 'aura.db'))).toBe(true);

    const ready = async () => (await fetch(`${apiUrl}/health/ready`)).status;
    expect(await ready()).toBe(200);
    await page.selectOption('select[aria-label=Scenario]', 'db-corrupt');
    await expect
      .poll(() => page.getByTestId('demo-controls').textContent(), { timeout: 10_000 })
      .toContain('Runbook: Database Issues');
    const state = JSON.parse(
      fs.readFileSync(path.join(ui.serve.dataDir, 'demo', '.aura-sandbox', 'state.json'), 'utf8'),
    ) as { scenario: string };
    expect(state.scenario).toBe('db-corrupt');
  });
});
