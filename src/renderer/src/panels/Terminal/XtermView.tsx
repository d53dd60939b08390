// One xterm.js view bound to one pty session: replays the session's buffer on (re)attach, writes live
// output and acks it from xterm's write callback (end-to-end flow control), marks each finished
// command in the gutter from the OSC 633 sequences, and offers search, links and copy on select.
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { Terminal, type IDecoration, type IMarker, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import '@xterm/xterm/css/xterm.css';
import { api, ApiError, openExternal } from '../../transport';
import { ShellIntegrationOscPs, VSCodeOscPt } from '../../../../shared/shell-integration-protocol';

/** Acks are sent in units of this many chars (VS Code's CharCountAckSize), plus a flush when idle. */
const ACK_CHUNK = 5_000;
/** Above this much queued output it is written at once rather than waiting for the next slot. */
const WRITE_COALESCE_MAX_CHARS = 1024 * 1024;
/** Under a flood, queued output is written (and so redrawn) at most this often. */
const FLOOD_WRITE_MS = 33;
/** A write this large, or one xterm has not finished parsing, means a flood is on. */
const FLOOD_MIN_CHARS = 16 * 1024;
/** A smaller remainder is acked after this quiet time, so the main side's count stays accurate. */
const ACK_IDLE_MS = 50;

export interface XtermHandle {
  focus(): void;
  openSearch(): void;
}

interface Props {
  sessionId: string;
  fontSize: number;
  scrollback: number;
  onFocus?: () => void;
  /** Errors the view cannot show itself (a failed write, a clipboard refusal). */
  onNotice?: (message: string) => void;
  handleRef?: Ref<XtermHandle>;
}

/** Software GL rasterisers: with them the WebGL renderer is many times slower than the DOM one. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;
let webglVerdict: { ok: boolean; why: string } | null = null;

/** Whether the WebGL renderer is worth loading here (hardware WebGL2), decided once per window. */
function webglWorthIt(): { ok: boolean; why: string } {
  if (webglVerdict) return webglVerdict;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) webglVerdict = { ok: false, why: 'no WebGL2' };
    else {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const name = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      webglVerdict = SOFTWARE_GL.test(name)
        ? { ok: false, why: `software GL (${name})` }
        : { ok: true, why: name || 'WebGL2' };
    }
  } catch (err) {
    webglVerdict = { ok: false, why: `WebGL probe failed: ${(err as Error).message}` };
  }
  return webglVerdict;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * The terminal's colours from the console theme (the CSS variables of base.css). On the light
 * background xterm's default white and yellow are unreadable, so those ANSI colours get darker
 * tones there.
 */
export function terminalTheme(): ITheme {
  const light = document.documentElement.dataset.theme === 'light';
  const base: ITheme = {
    background: cssVar('--bg', '#111418'),
    foreground: cssVar('--fg', '#d8dee6'),
    cursor: cssVar('--fg', '#d8dee6'),
    cursorAccent: cssVar('--bg', '#111418'),
    selectionBackground: light ? '#1f6fd640' : '#4f9dff55',
  };
  if (!light) return base;
  return {
    ...base,
    black: '#1d232b',
    red: '#c4302b',
    green: '#1d7a45',
    yellow: '#8a5a00',
    blue: '#1f5fc0',
    magenta: '#8e3fa8',
    cyan: '#12788a',
    white: '#5c6775',
    brightBlack: '#6e7781',
    brightRed: '#a8231f',
    brightGreen: '#17683a',
    brightYellow: '#6f4800',
    brightBlue: '#174ea0',
    brightMagenta: '#73318a',
    brightCyan: '#0d6270',
    brightWhite: '#1d232b',
  };
}

export default function XtermView({ sessionId, fontSize, scrollback, onFocus, onNotice, handleRef }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const searchInputRef = useRef<HTMLInputElement>(null);
  const noticeRef = useRef(onNotice);
  noticeRef.current = onNotice;
  // The latest onFocus: the view outlives the props it was created with.
  const focusRef = useRef(onFocus);
  focusRef.current = onFocus;
  const [renderer, setRenderer] = useState<'webgl' | 'dom'>('dom');
  const [searchOpen, setSearchOpen] = useState(false);
  const [query, setQuery] = useState('');

  useImperativeHandle(handleRef, () => ({
    focus: () => termRef.current?.focus(),
    openSearch: () => setSearchOpen(true),
  }));

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const notice = (m: string) => noticeRef.current?.(m);
    const term = new Terminal({
      fontSize,
      scrollback,
      fontFamily: cssVar('--mono', 'monospace'),
      allowProposedApi: true,
      cursorBlink: true,
      theme: terminalTheme(),
      // No overview ruler: on every render it reads the screen's height, forcing a synchronous
      // layout; under a flood that cost more than parsing the output (profiled).
    });
    termRef.current = term;
    const fit = new FitAddon();
    const search = new SearchAddon();
    searchRef.current = search;
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(
      new WebLinksAddon((_ev, uri) => {
        openExternal(uri).catch((err: Error) => notice(`Could not open ${uri}: ${err.message}`));
      }),
    );
    term.open(host);
    const gpu = webglWorthIt();
    host.dataset.rendererReason = gpu.why;
    if (gpu.ok) {
      try {
        const gl = new WebglAddon();
        gl.onContextLoss(() => {
          gl.dispose();
          setRenderer('dom');
          notice('The GPU context was lost; the terminal switched to the DOM renderer.');
        });
        term.loadAddon(gl);
        setRenderer('webgl');
      } catch {
        setRenderer('dom'); // the addon refused this context: the DOM renderer draws the same text
      }
    } else setRenderer('dom');
    term.element?.setAttribute('data-session-id', sessionId);
    // The terminal follows the console's theme when it changes (App sets data-theme on <html>).
    const themeWatch = new MutationObserver(() => {
      term.options.theme = terminalTheme();
    });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    // Read-only text of the buffer for end-to-end tests and diagnostics: with the WebGL renderer the
    // screen is a canvas, so the DOM holds no text to read.
    Object.defineProperty(host, 'auraTerminalText', {
      configurable: true,
      value: (): string => {
        const b = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
        return lines.join('\n').replace(/\n+$/, '\n');
      },
    });
    Object.defineProperty(host, 'auraTerminalCols', { configurable: true, value: (): number => term.cols });
    // The same text with soft-wrapped rows joined: what the lines were, whatever the width.
    Object.defineProperty(host, 'auraTerminalLines', {
      configurable: true,
      value: (): string[] => {
        const b = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < b.length; i++) {
          const line = b.getLine(i);
          const text = line?.translateToString(true) ?? '';
          if (line?.isWrapped && lines.length) lines[lines.length - 1] += text;
          else lines.push(text);
        }
        while (lines.length && lines[lines.length - 1] === '') lines.pop();
        return lines;
      },
    });
    // The last `n` lines up to the cursor: cheap enough to poll during a flood (the bench does).
    Object.defineProperty(host, 'auraTerminalTail', {
      configurable: true,
      value: (n: number): string => {
        const b = term.buffer.active;
        const end = b.baseY + b.cursorY;
        const lines: string[] = [];
        for (let i = Math.max(0, end - n + 1); i <= end; i++)
          lines.push(b.getLine(i)?.translateToString(true) ?? '');
        return lines.join('\n');
      },
    });

    // --- gutter marks from shell integration (the sequences are also in the replay, so marks survive reload)
    let promptMarker: IMarker | null = null;
    const decorations: IDecoration[] = [];
    const osc = term.parser.registerOscHandler(ShellIntegrationOscPs.VSCode, (data) => {
      const [code, arg] = data.split(';');
      if (code === VSCodeOscPt.PromptStart) {
        promptMarker?.dispose();
        promptMarker = term.registerMarker(0);
      } else if (code === VSCodeOscPt.CommandFinished && promptMarker) {
        if (arg === undefined || arg === '') {
          promptMarker.dispose(); // an empty line: nothing ran
        } else {
          const ok = arg === '0';
          const deco = term.registerDecoration({
            marker: promptMarker,
            anchor: 'left',
            x: 0,
            width: 1,
            layer: 'top',
          });
          if (deco) {
            deco.onRender((el) => {
              el.classList.add('term-mark', ok ? 'term-mark-ok' : 'term-mark-err');
              el.title = ok ? 'Exit code 0' : `Exit code ${arg}`;
              el.dataset.exitCode = arg;
            });
            decorations.push(deco);
          }
        }
        promptMarker = null;
      }
      return true;
    });

    // --- output: replay then live, acked as xterm writes it
    let disposed = false;
    let liveFrom = Infinity; // offsets below this came with the replay
    let attaching = true;
    const early: { data: string; offset: number }[] = [];
    let pendingAck = 0;
    let ackTimer: ReturnType<typeof setTimeout> | undefined;
    const sendAck = () => {
      if (ackTimer) clearTimeout(ackTimer);
      ackTimer = undefined;
      if (!pendingAck || disposed) return;
      const chars = pendingAck;
      pendingAck = 0;
      api.invoke('terminal:ack', { sessionId, chars }).catch((err: ApiError) => {
        if (err.code !== 'not-found') notice(`Terminal flow control: ${err.message}`);
      });
    };
    // Output is handed to xterm in few large writes: many small writes cost xterm far more per
    // byte than a few large ones, and xterm redraws after each parse. Interactive output (echo,
    // prompts) goes at the next frame; under a flood (xterm still parsing, or a large write just
    // made) everything that arrived is written at most every FLOOD_WRITE_MS, so the screen redraws
    // half as often as the frame rate and the time goes to parsing.
    let queued: string[] = [];
    let queuedLen = 0;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = 0; // writes handed to xterm and not yet parsed
    let lastWrite = -Infinity;
    let lastWriteLen = 0;
    const flush = () => {
      if (frame) cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      frame = 0;
      timer = undefined;
      if (!queuedLen || disposed) return;
      const chunk = queued.length === 1 ? queued[0]! : queued.join('');
      queued = [];
      queuedLen = 0;
      inFlight++;
      lastWrite = performance.now();
      lastWriteLen = chunk.length;
      term.write(chunk, () => {
        inFlight--;
        pendingAck += chunk.length;
        if (pendingAck >= ACK_CHUNK) sendAck();
        else if (!ackTimer) ackTimer = setTimeout(sendAck, ACK_IDLE_MS);
      });
    };
    const schedule = () => {
      if (frame || timer) return;
      const since = performance.now() - lastWrite;
      const flooding = inFlight > 0 || (since < FLOOD_WRITE_MS && lastWriteLen >= FLOOD_MIN_CHARS);
      if (!flooding) frame = requestAnimationFrame(flush);
      else timer = setTimeout(flush, Math.max(0, FLOOD_WRITE_MS - since));
    };
    const writeLive = (data: string, offset: number) => {
      const start = Math.max(0, liveFrom - offset);
      if (start >= data.length) return;
      const chunk = start ? data.slice(start) : data;
      queued.push(chunk);
      queuedLen += chunk.length;
      if (queuedLen >= WRITE_COALESCE_MAX_CHARS) flush();
      else schedule();
    };
    const offData = api.on('terminal:data', (p) => {
      if (p.sessionId !== sessionId) return;
      if (attaching) early.push(p);
      else writeLive(p.data, p.offset);
    });
    const attach = async () => {
      attaching = true;
      try {
        const r = await api.invoke('terminal:replay', { sessionId });
        if (disposed) return;
        term.reset();
        queued = [];
        queuedLen = 0;
        for (const d of decorations.splice(0)) d.dispose();
        liveFrom = r.endOffset;
        // The retained output was laid out by the shell at the pty's size: replay it at that size
        // and let xterm reflow it to the view's, rather than re-wrapping cursor moves at another width.
        // A hidden view keeps the pty's size until it is shown.
        if (r.info.cols !== term.cols || r.info.rows !== term.rows) term.resize(r.info.cols, r.info.rows);
        term.write(r.data, () => {
          if (!disposed && host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
        });
        attaching = false;
        for (const e of early.splice(0)) writeLive(e.data, e.offset);
      } catch (err) {
        attaching = false;
        early.length = 0;
        notice(`Could not attach to the terminal: ${(err as Error).message}`);
      }
    };
    void attach();
    let wasClosed = false;
    const offConn = api.onConnection((s) => {
      if (s === 'closed') wasClosed = true;
      else if (s === 'open' && wasClosed) {
        wasClosed = false;
        void attach(); // the console restarted or the socket dropped: take the buffer again
      }
    });

    // --- input, resize, clipboard
    const onInput = term.onData((data) => {
      api.invoke('terminal:write', { sessionId, data }).catch((err: Error) => notice(err.message));
    });
    const onResize = term.onResize(({ cols, rows }) => {
      api.invoke('terminal:resize', { sessionId, cols, rows }).catch((err: ApiError) => {
        if (err.code !== 'unavailable' && err.code !== 'not-found') notice(err.message);
      });
    });
    const onSel = term.onSelectionChange(() => {
      if (!term.hasSelection()) return;
      navigator.clipboard
        ?.writeText(term.getSelection())
        .catch(() => notice('Copy on select needs clipboard permission; use Ctrl+Shift+C.'));
    });
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown' || !ev.ctrlKey || !ev.shiftKey) return true;
      const k = ev.key.toLowerCase();
      if (k === 'c' && term.hasSelection()) {
        navigator.clipboard
          ?.writeText(term.getSelection())
          .catch(() => notice('The clipboard refused the copy.'));
        return false;
      }
      if (k === 'v') {
        // term.paste wraps the text in bracketed-paste markers when the shell asked for them.
        navigator.clipboard
          ?.readText()
          .then((t) => term.paste(t))
          .catch(() =>
            notice('Reading the clipboard was refused; use the browser paste (Ctrl+V / middle click).'),
          );
        return false;
      }
      if (k === 'f') {
        setSearchOpen(true);
        return false;
      }
      return true;
    });
    const focusSub = term.textarea ? () => focusRef.current?.() : undefined;
    if (focusSub) term.textarea?.addEventListener('focus', focusSub);

    let raf = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    });
    ro.observe(host);

    return () => {
      disposed = true;
      if (frame) cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      sendAck();
      ro.disconnect();
      themeWatch.disconnect();
      cancelAnimationFrame(raf);
      if (focusSub) term.textarea?.removeEventListener('focus', focusSub);
      offData();
      offConn();
      onInput.dispose();
      onResize.dispose();
      onSel.dispose();
      osc.dispose();
      term.dispose();
      termRef.current = null;
      searchRef.current = null;
    };
    // The view is rebuilt only for another session; font size and scrollback are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId]);

  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.fontSize = fontSize;
    term.options.scrollback = scrollback;
  }, [fontSize, scrollback]);

  useEffect(() => {
    if (searchOpen) searchInputRef.current?.focus();
  }, [searchOpen]);

  const find = (backwards: boolean) => {
    const s = searchRef.current;
    if (!s || !query) return;
    if (backwards) s.findPrevious(query);
    else s.findNext(query);
  };

  return (
    <div className="term-view" data-renderer={renderer}>
      {searchOpen && (
        <div className="term-search" role="search">
          <input
            ref={searchInputRef}
            value={query}
            placeholder="Find in terminal"
            aria-label="Find in terminal"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(e.shiftKey);
              if (e.key === 'Escape') {
                setSearchOpen(false);
                searchRef.current?.clearDecorations();
                termRef.current?.focus();
              }
            }}
          />
          <button type="button" className="ghost" onClick={() => find(true)} aria-label="Previous match">
            ↑
          </button>
          <button type="button" className="ghost" onClick={() => find(false)} aria-label="Next match">
            ↓
          </button>
          <button
            type="button"
            className="ghost"
            aria-label="Close search"
            onClick={() => {
              setSearchOpen(false);
              searchRef.current?.clearDecorations();
            }}
          >
            ×
          </button>
        </div>
      )}
      <div className="term-host" ref={hostRef} onMouseDown={() => focusRef.current?.()} />
    </div>
  );
}
