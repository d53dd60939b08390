// Shell integration against the user's own hooks, in real ptys: bash with an existing DEBUG trap and
// PROMPT_COMMAND (a bash-preexec-like rc), with bash-preexec's hook arrays, with an array
// PROMPT_COMMAND that grows later; and zsh (exit codes, cwd, command line, the user's hooks kept).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { missingTool, toolPath } from '../../../../tests/tools';
import { harness, makeFixture, type Fixture, type Harness } from './test-support';

let fx: Fixture;

beforeAll(() => {
  fx = makeFixture('aura-term-hooks-');
  mkdirSync(join(fx.dataRoot, 'sub dir'));
});
afterEach(() => fx.disposeServices());
afterAll(() => fx.cleanup());

/**
 * A home folder of its own per test, holding the given rc files; hooks log to `<home>/hooks.log`.
 * `settled` waits until the user's precmd has logged `precmds` prompts: it may run after our own
 * hook has reported the command finished, so the log can lag the last command-finished record.
 */
function homeWith(name: string, files: Record<string, string>) {
  const home = join(fx.root, name);
  mkdirSync(home);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(home, f), text);
  const log = (): string[] => {
    try {
      return readFileSync(join(home, 'hooks.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return []; // no hook has run yet
    }
  };
  const settled = (h: Harness, precmds: number): Promise<string[]> =>
    h.waitFor(() => {
      const l = log();
      return l.filter((x) => x.startsWith('precmd:')).length >= precmds && l;
    }, `${precmds} precmd lines in hooks.log`);
  return { home, log, settled };
}

// An eager bash-preexec-like rc (no __bp_imported): a DEBUG trap that fires once per command typed at
// the prompt (it skips whatever runs from PROMPT_COMMAND, as bash-preexec does) and logs the history
// line and the $_ it was handed; a PROMPT_COMMAND that logs $? and re-arms the trap.
const PREEXEC_LIKE_RC = String.raw`PS1='$ '
__demo_armed=""
__demo_in_pc() {
  local IFS=$'\n;' c
  for c in $PROMPT_COMMAND; do c="${'$'}{c#"${'$'}{c%%[![:space:]]*}"}"; [ "$c" = "$1" ] && return 0; done
  return 1
}
__demo_trap() {
  [ -n "$__demo_armed" ] || return 0
  __demo_armed=""
  __demo_in_pc "$BASH_COMMAND" && return 0
  local cmd
  cmd=$(HISTTIMEFORMAT= builtin history 1 | sed '1 s/^ *[0-9][0-9]*[* ] //')
  printf 'preexec:%s|last=%s\n' "$cmd" "$1" >> "$HOME/hooks.log"
}
__demo_precmd() { printf 'precmd:%s\n' "$?" >> "$HOME/hooks.log"; }
__demo_arm() { __demo_armed=on; }
trap '__demo_trap "$_"' DEBUG
PROMPT_COMMAND='__demo_precmd; __demo_arm'
`;

// A bash-preexec-style rc: __bp_imported set, hook arrays, and the DEBUG trap installed lazily from
// PROMPT_COMMAND at the first prompt (as bash-preexec does). The user's precmd sets PS1.
const BP_STYLE_RC = String.raw`PS1='$ '
__bp_imported=defined
__mini_armed=""
__mini_ret() { return "$1"; }
__mini_precmd_invoke() {
  local ec=$? f
  for f in "${'$'}{precmd_functions[@]}"; do __mini_ret "$ec"; "$f"; done
}
__mini_arm() { __mini_armed=on; }
__mini_preexec_invoke() {
  [ -n "$__mini_armed" ] || return 0
  __mini_armed=""
  case "$BASH_COMMAND" in __mini_*) return 0 ;; esac
  local cmd f
  cmd=$(HISTTIMEFORMAT= builtin history 1 | sed '1 s/^ *[0-9][0-9]*[* ] //')
  for f in "${'$'}{preexec_functions[@]}"; do "$f" "$cmd"; done
}
__mini_install() {
  trap '__mini_preexec_invoke "$_"' DEBUG
  PROMPT_COMMAND=$'__mini_precmd_invoke\n__mini_arm'
  __mini_precmd_invoke
  __mini_arm
}
PROMPT_COMMAND=__mini_install
user_precmd() { printf 'precmd:%s\n' "$?" >> "$HOME/hooks.log"; PS1='user$ '; }
user_preexec() { printf 'preexec:%s\n' "$1" >> "$HOME/hooks.log"; }
precmd_functions+=(user_precmd)
preexec_functions+=(user_preexec)
`;

describe('bash integration chains the user hooks (real pty)', () => {
  it('keeps an existing DEBUG trap and PROMPT_COMMAND working, and still reports every command', async () => {
    const u = homeWith('home-preexec-like', { '.bashrc': PREEXEC_LIKE_RC });
    const h = harness(fx, { env: { HOME: u.home } });
    const info = h.svc.create({});

    const a = await h.typeAndWait(info.id, 'echo alpha beta');
    expect(a).toMatchObject({ command: 'echo alpha beta', exitCode: 0, cwd: fx.dataRoot });
    const b = await h.typeAndWait(info.id, 'echo "[$_]"');
    expect(b.command).toBe('echo "[$_]"');
    expect(b.outputExcerpt).toContain('[beta]'); // $_ survives both traps
    const c = await h.typeAndWait(info.id, '(exit 4)');
    expect(c).toMatchObject({ command: '(exit 4)', exitCode: 4 });
    await h.typeAndWait(info.id, 'cd "sub dir"');
    const d = await h.typeAndWait(info.id, 'false');
    expect(d).toMatchObject({ command: 'false', exitCode: 1, cwd: join(fx.dataRoot, 'sub dir') });

    // The user's hooks ran once per command, with the right command line, $_ and exit status.
    const log = await u.settled(h, 6);
    // bash fires no DEBUG trap for a lone subshell, so "(exit 4)" never reaches a preexec hook (we
    // report it from the history at the next prompt instead).
    const pre = log.filter((l) => l.startsWith('preexec:'));
    expect(pre[0]).toMatch(/^preexec:echo alpha beta\|last=/);
    expect(pre.slice(1)).toEqual([
      'preexec:echo "[$_]"|last=beta',
      'preexec:cd "sub dir"|last=[beta]',
      'preexec:false|last=sub dir',
    ]);
    expect(log.filter((l) => l.startsWith('precmd:')).slice(-5)).toEqual([
      'precmd:0',
      'precmd:0',
      'precmd:4',
      'precmd:0',
      'precmd:1',
    ]);
  });

  it('registers through bash-preexec hook arrays when bash-preexec is loaded', async () => {
    const u = homeWith('home-bp-style', { '.bashrc': BP_STYLE_RC });
    const h = harness(fx, { env: { HOME: u.home } });
    const info = h.svc.create({});
    const a = await h.typeAndWait(info.id, 'echo one; (exit 3)');
    expect(a).toMatchObject({ command: 'echo one; (exit 3)', exitCode: 3 });
    expect(a.outputExcerpt).toContain('one');
    const b = await h.typeAndWait(info.id, 'cd "sub dir"');
    expect(b.exitCode).toBe(0);
    const c = await h.typeAndWait(info.id, 'pwd');
    expect(c).toMatchObject({ command: 'pwd', exitCode: 0, cwd: join(fx.dataRoot, 'sub dir') });
    // The user's precmd set PS1, yet our prompt marks are in it: the session knows its prompt.
    expect(h.svc.list().sessions[0]).toMatchObject({ integration: true, busy: false });
    expect(h.output(info.id)).toMatch(/\x1b\]633;A\x07user\$ \x1b\]633;B\x07/);
    const log = await u.settled(h, 4);
    expect(log.filter((l) => l.startsWith('preexec:'))).toEqual([
      'preexec:echo one; (exit 3)',
      'preexec:cd "sub dir"',
      'preexec:pwd',
    ]);
    expect(log.filter((l) => l.startsWith('precmd:')).slice(-3)).toEqual([
      'precmd:3',
      'precmd:0',
      'precmd:0',
    ]);
    // bash-preexec's own trap was left in place, not wrapped.
    const t = await h.typeAndWait(info.id, 'trap -p DEBUG');
    expect(t.outputExcerpt).toContain(`trap -- '__mini_preexec_invoke "$_"' DEBUG`);
  });

  it('runs an array PROMPT_COMMAND and entries added to it later', async () => {
    const rc = String.raw`PS1='$ '
__u1() { echo "u1:$?" >> "$HOME/hooks.log"; if [ -z "${'$'}{added:-}" ]; then added=1; PROMPT_COMMAND+=(__u2); fi; }
__u2() { echo u2 >> "$HOME/hooks.log"; }
PROMPT_COMMAND=(__u1)
`;
    const u = homeWith('home-array-pc', { '.bashrc': rc });
    const h = harness(fx, { env: { HOME: u.home } });
    const info = h.svc.create({});
    const a = await h.typeAndWait(info.id, '(exit 2)');
    expect(a.exitCode).toBe(2);
    const b = await h.typeAndWait(info.id, 'echo "pc=${PROMPT_COMMAND[*]}"');
    expect(b.outputExcerpt).toContain('pc=__aura_prompt_cmd');
    await h.typeAndWait(info.id, 'true');
    const log = u.log();
    // First prompt: u1 only (it adds u2); then both at every prompt, u1 seeing the command's status.
    expect(log.slice(0, 5)).toEqual(['u1:0', 'u1:2', 'u2', 'u1:0', 'u2']);
  });
});

const noZsh = missingTool('zsh', 'zsh shell integration');

describe.skipIf(noZsh)('zsh integration (real pty)', () => {
  const ZSHRC = String.raw`PS1='z%# '
precmd() { print -r -- "precmd:$?" >> "$HOME/hooks.log"; }
__user_preexec() { print -r -- "preexec:$1" >> "$HOME/hooks.log"; }
preexec_functions+=(__user_preexec)
export FROM_USER_ZSHRC=yes
`;

  it('reports command line, exit code and cwd, with the install variables and the user hooks', async () => {
    const u = homeWith('home-zsh', { '.zshrc': ZSHRC });
    const h = harness(fx, { defaultShell: toolPath('zsh'), env: { HOME: u.home } });
    const info = h.svc.create({});
    expect(info.shell).toBe(toolPath('zsh'));

    const env = await h.typeAndWait(info.id, 'echo "D=$AURA_DATA_PATH R=$FROM_USER_ZSHRC Z=$ZDOTDIR"');
    expect(env).toMatchObject({ exitCode: 0, cwd: fx.dataRoot });
    expect(env.outputExcerpt).toContain(`D=${fx.dataRoot} R=yes Z=${u.home}`);
    const a = await h.typeAndWait(info.id, 'echo "a;b" | tr a x; (exit 5)');
    expect(a).toMatchObject({ command: 'echo "a;b" | tr a x; (exit 5)', exitCode: 5 });
    expect(a.outputExcerpt).toContain('x;b');
    await h.typeAndWait(info.id, 'cd "sub dir"');
    const b = await h.typeAndWait(info.id, 'false');
    expect(b).toMatchObject({ command: 'false', exitCode: 1, cwd: join(fx.dataRoot, 'sub dir') });
    expect(h.svc.list().sessions[0]).toMatchObject({
      integration: true,
      busy: false,
      lastCwd: join(fx.dataRoot, 'sub dir'),
    });

    // A run request (not typed) is reported the same way.
    const r = await h.runAndWait(info.id, 'print -r -- ran-$((20+1))');
    expect(r).toMatchObject({ command: 'print -r -- ran-$((20+1))', exitCode: 0 });
    expect(r.outputExcerpt).toContain('ran-21');

    const log = await u.settled(h, 6);
    expect(log.filter((l) => l.startsWith('preexec:'))).toEqual([
      'preexec:echo "D=$AURA_DATA_PATH R=$FROM_USER_ZSHRC Z=$ZDOTDIR"',
      'preexec:echo "a;b" | tr a x; (exit 5)',
      'preexec:cd "sub dir"',
      'preexec:false',
      'preexec:print -r -- ran-$((20+1))',
    ]);
    expect(log.filter((l) => l.startsWith('precmd:')).slice(-5)).toEqual([
      'precmd:0',
      'precmd:5',
      'precmd:0',
      'precmd:1',
      'precmd:0',
    ]);
  });

  it('ends the running command with the shell when zsh exits', async () => {
    const u = homeWith('home-zsh-exit', { '.zshrc': "PS1='z%# '\n" });
    const h = harness(fx, { defaultShell: toolPath('zsh'), env: { HOME: u.home } });
    const info = h.svc.create({});
    await h.typeAndWait(info.id, 'true');
    h.svc.write(info.id, 'exit 6\r');
    const exit = await h.waitFor(() => h.events.find((e) => e.event === 'terminal:exit'), 'zsh to exit');
    expect(exit.payload).toEqual({ sessionId: info.id, exitCode: 6, signal: null });
    expect(h.finished(info.id).at(-1)).toMatchObject({ command: 'exit 6', exitCode: 6 });
  });
});
