// Shell quoting of filled values, proved with real bash and zsh: every hostile value stays exactly one
// argument wherever a runbook writes its variable, and no injection attempt creates a file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillVariables, KNOWN_VARIABLES } from './runbooks/variables';
import { quoteIn, shellContexts, shellQuote } from './shell-quote';

/** Values an attacker could give an install path, URL or host (NUL cannot be in an argv). */
const HOSTILE: Record<string, string> = {
  'double quote': 'a"b',
  'closing double quote': '"; touch PWNED; echo "',
  'single quote': "it's",
  'closing single quote': "'; touch PWNED; echo '",
  backtick: 'a`touch PWNED`b',
  'command substitution': 'x$(touch PWNED)y',
  'arithmetic substitution': 'ev$(($(touch PWNED)0))',
  'parameter expansion': '${HOME}$HOME${x@P}',
  semicolon: 'a; touch PWNED',
  'and-and': 'a && touch PWNED',
  pipe: 'a | touch PWNED',
  newline: 'a\ntouch PWNED',
  'carriage return': 'a\rtouch PWNED',
  'ctrl-o': 'echo checking\x0ftouch PWNED',
  'other controls': '\x01\x1b[31m\x7f\t',
  glob: '*?[a-z]{a,b}',
  'leading dash': '-rf',
  'leading tilde and equals': '~root =ls',
  backslashes: "a\\b\\\\'c\\",
  history: '!! !-1 ^a^b',
  redirection: '> PWNED < /etc/hostname 2>&1',
  spaces: '  two  spaces  ',
  unicode: 'Grüße/データ/\u2028',
  'sed write (issue 14)': '"; sed -n "w PWNED" /etc/hostname; echo "',
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-quote-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Run `script` with `shell -c` in a fresh empty folder; its stdout, exit code and what it left there. */
function run(
  shell: string,
  script: string,
): { stdout: string; status: number | null; left: string[]; stderr: string } {
  const cwd = fs.mkdtempSync(path.join(tmp, 'run-'));
  const r = spawnSync(shell, ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, x: '$(touch PWNED)' },
  });
  return { stdout: r.stdout, status: r.status, stderr: r.stderr, left: fs.readdirSync(cwd) };
}

describe('shellQuote', () => {
  it('leaves plain paths, URLs and dates bare, quotes everything else', () => {
    expect(shellQuote('/home/op/.local/share/Aura/aura.db')).toBe('/home/op/.local/share/Aura/aura.db');
    expect(shellQuote('http://127.0.0.1:5005')).toBe('http://127.0.0.1:5005');
    expect(shellQuote('20261206')).toBe('20261206');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('a\nb')).toBe("$'a\\x0ab'");
    expect(shellQuote('=ls')).toBe("'=ls'");
  });

  it('never writes a raw control character (a pasted line would end or run a readline command)', () => {
    for (const v of Object.values(HOSTILE)) expect(shellQuote(v)).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  for (const shell of ['bash', 'zsh']) {
    it(`keeps each hostile value one argument, printed exactly, in ${shell}`, () => {
      for (const [what, value] of Object.entries(HOSTILE)) {
        const r = run(shell, `printf '%s\\n' ${shellQuote(value)}`);
        expect({ what, out: r.stdout, left: r.left }).toEqual({ what, out: `${value}\n`, left: [] });
      }
    });
  }
});

describe('fillVariables', () => {
  // Every context a runbook author might put a variable in, with what the shell must print.
  const SHAPES: { template: string; expected: (v: string) => string }[] = [
    { template: "printf '%s\\n' {{v}}", expected: (v) => `${v}\n` },
    { template: 'printf \'%s\\n\' "{{v}}"', expected: (v) => `${v}\n` },
    { template: "printf '%s\\n' '{{v}}'", expected: (v) => `${v}\n` },
    { template: 'printf \'%s\\n\' "pre {{v}} post"', expected: (v) => `pre ${v} post\n` },
    { template: "printf '%s\\n' '-{{v}}(x)'", expected: (v) => `-${v}(x)\n` },
    { template: "printf '%s\\n' {{v}}/errors-{{v}}.log", expected: (v) => `${v}/errors-${v}.log\n` },
    { template: "printf '%s\\n' \"$(printf '%s' {{v}})\"", expected: (v) => `${v}\n` },
    { template: 'printf \'%s\\n\' "$(printf \'%s\' "{{v}}")"', expected: (v) => `${v}\n` },
    { template: "printf '%s\\n' $'\\t'{{v}}", expected: (v) => `\t${v}\n` },
    { template: "printf '%s\\n' $'[{{v}}]'", expected: (v) => `[${v}]\n` },
    { template: "# a comment about {{v}}, don't worry\nprintf '%s\\n' {{v}}", expected: (v) => `${v}\n` },
  ];

  it('fills every install variable with every hostile value as one argument, in every quoting context', () => {
    for (const name of Object.keys(KNOWN_VARIABLES)) {
      // One bash run per variable: every value in every shape, each followed by a separator line.
      let script = '';
      let expected = '';
      for (const value of Object.values(HOSTILE)) {
        for (const shape of SHAPES) {
          const { filled, missing, refused } = fillVariables(
            shape.template.replaceAll('{{v}}', `{{${name}}}`),
            { [name]: value },
          );
          expect({ missing, refused }).toEqual({ missing: [], refused: [] });
          script += `${filled}\necho ::\n`;
          expected += `${shape.expected(value)}::\n`;
        }
      }
      const r = run('bash', script);
      expect({ name, out: r.stdout, left: r.left, stderr: r.stderr }).toEqual({
        name,
        out: expected,
        left: [],
        stderr: '',
      });
    }
  });

  it('reports variables the author quoted, and leaves unknown ones as written', () => {
    const r = fillVariables('ls "{{logsDir}}" {{dbPath}} \'{{today}}\' {{nope}}', {
      logsDir: '/l',
      dbPath: '/d',
      today: '1',
    });
    expect(r.filled).toBe('ls "/l" /d \'1\' {{nope}}');
    expect(r.quoted.sort()).toEqual(['logsDir', 'today']);
    expect(r.missing).toEqual(['nope']);
  });

  it('refuses an unsafe value where the shell or the command reads it as code, fills a safe one', () => {
    // Each template, with a hostile value, would run `touch PWNED` even with the value quoted.
    const CODE_PLACES = [
      'echo `ls {{dataRoot}}`',
      'cat <<EOF\n{{dataRoot}}\nEOF',
      "cat <<'EOF' # note\n{{dataRoot}}\nEOF",
      'echo $(( {{dataRoot}} + 1 ))',
      'echo "$(( 1 + {{dataRoot}} ))"',
      'echo $(( a[1] + {{dataRoot}} ))',
      '(( {{dataRoot}} > 0 )) && echo big',
      'echo $[ {{dataRoot}} ]',
      '[[ {{dataRoot}} -eq 0 ]]',
      'x=(); echo ${x[{{dataRoot}}]}',
      'echo ${HOME:-{{dataRoot}}}',
      'eval echo {{dataRoot}}',
      'bash -c {{dataRoot}}',
      'ls; sh -c "echo {{dataRoot}}"',
      'let n={{dataRoot}}',
      'declare -i n={{dataRoot}}',
      'printf -v {{dataRoot}} x',
      'sudo -s echo {{dataRoot}}',
      'env -S {{dataRoot}}',
      'ssh host ls {{dataRoot}}',
      'watch ls {{dataRoot}}',
      "find . -exec sh -c 'ls {{dataRoot}}' \\;",
    ];
    const hostile = 'a[$(touch PWNED)]';
    for (const t of CODE_PLACES) {
      const r = fillVariables(t, { dataRoot: hostile });
      expect({ t, refused: r.refused }).toEqual({ t, refused: ['dataRoot'] });
      expect(r.filled).toBe(t);
      expect(fillVariables(t, { dataRoot: '/srv/aura' }).filled).toBe(t.replace('{{dataRoot}}', '/srv/aura'));
    }
    // Proof that these places are code: with the value quoted the old way, bash runs the injection.
    for (const t of ['echo $(( {{v}} ))', '[[ {{v}} -eq 0 ]]', 'declare -i n={{v}}', 'eval echo {{v}}']) {
      const r = run(
        'bash',
        t.replace('{{v}}', shellQuote(t.startsWith('eval') ? 'x; touch PWNED' : hostile)),
      );
      expect({ t, left: r.left }).toEqual({ t, left: ['PWNED'] });
    }
    // Not code: a here-string, a command after one that evaluates, sudo without -s, printf without -v.
    for (const t of [
      'cat <<< {{dataRoot}}',
      'eval true; ls {{dataRoot}}',
      'sudo ls {{dataRoot}}',
      "printf '%s' {{dataRoot}}",
      'echo $(( 1 )) {{dataRoot}}',
      '[[ -d /tmp ]] && ls {{dataRoot}}',
    ]) {
      expect({ t, refused: fillVariables(t, { dataRoot: hostile }).refused }).toEqual({ t, refused: [] });
    }
  });
});

describe('shellContexts', () => {
  it('follows quotes, substitutions and escapes', () => {
    const at = (text: string) => {
      const positions = [...text.matchAll(/@/g)].map((m) => m.index);
      return shellContexts(text, positions, () => 1);
    };
    expect(at(`@ "@" '@' $'@' \`@\` "$(@)" \${x:-@} \\"@`)).toEqual([
      'plain',
      'double',
      'single',
      'ansi',
      'backtick',
      'plain',
      'unknown',
      'plain',
    ]);
    expect(at(`"it's @" '"@'`)).toEqual(['double', 'single']);
    expect(at(`$'\\'@' @`)).toEqual(['ansi', 'plain']);
  });

  it('quoteIn gives null only where no quoting is safe', () => {
    expect(quoteIn('a b', 'backtick')).toBeNull();
    expect(quoteIn('a b', 'unknown')).toBeNull();
    expect(quoteIn('ab', 'unknown')).toBe('ab');
  });
});
