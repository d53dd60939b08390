// Step inputs and outputs: the fence grammar, validation of typed values (hostile ones included),
// filling with the install quoting (checked by running the filled command in a real bash), outputs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractOutput, fillInputs, initialValues, parseStepIo, validateInput } from './inputs';
import { parseRunbook } from './parse';
import type { StepInput } from './types';
import { fillVariables } from './variables';

const text = (over: Partial<StepInput> = {}): StepInput => ({
  name: 'target',
  type: 'text',
  label: null,
  pattern: null,
  default: null,
  from: null,
  ...over,
});

/** The arguments bash really passes for a filled command `printf '%s\0' ...` (NUL-separated). */
function argvOf(command: string, cwd: string): string[] {
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', command], { cwd, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  "'; touch X",
  '$(touch X)',
  '`touch X`',
  'a b; touch X',
  '"; touch X; "',
  'x\ntouch X',
  '-rf',
  '--help',
  "it's $HOME",
  'a\\',
  '*',
  '\u0001\u007f',
];

describe('parseStepIo', () => {
  it('reads inputs (type, pattern, default, from, label) and a named output', () => {
    const r = parseStepIo(
      {
        'input-service': 'text',
        'input-service-pattern': '/^[a-z-]+$/',
        'input-service-default': 'redis-server',
        'input-count': 'integer',
        'input-count-label': 'Lines to show',
        'input-file': 'path',
        'input-file-from': 'take-backup.backupFile',
        output: 'result',
        'output-match': '/^File: (.+)$/m',
      },
      'systemctl start {{service}}; tail -n {{count}} {{file}}',
    );
    expect(r.problems).toEqual([]);
    expect(r.inputs).toEqual([
      {
        name: 'service',
        type: 'text',
        label: null,
        pattern: { source: '^[a-z-]+$', flags: '' },
        default: 'redis-server',
        from: null,
      },
      { name: 'count', type: 'integer', label: 'Lines to show', pattern: null, default: null, from: null },
      {
        name: 'file',
        type: 'path',
        label: null,
        pattern: null,
        default: null,
        from: { step: 'take-backup', output: 'backupFile' },
      },
    ]);
    expect(r.output).toEqual({ name: 'result', match: { source: '^File: (.+)$', flags: 'm' } });
  });

  it('refuses bad declarations with a message each', () => {
    const r = parseStepIo(
      {
        'input-dbPath': 'path',
        'input-x': 'shell',
        'input-y': 'text',
        'input-y-pattern': '/(/',
        'input-z': 'text',
        'input-z-default': '-rf',
        'input-w': 'text',
        'input-w-from': 'nodot',
        'input-bad-thing-here': 'text',
        output: '1bad',
      },
      '{{x}} {{y}} {{z}} {{w}}',
    );
    const msgs = r.problems.map((p) => p.message).join('\n');
    expect(msgs).toContain('name of an install variable');
    expect(msgs).toContain('input-x="text|integer|path" (not "shell")');
    expect(msgs).toContain('input-y-pattern: not a valid regular expression');
    expect(msgs).toContain('input-z-default: starts with "-"');
    expect(msgs).toContain('STEP.OUTPUT');
    expect(msgs).toContain('"input-bad-thing-here" is not an input attribute');
    expect(msgs).toContain('output="1bad" is not a name');
    expect(r.inputs.map((i) => i.name)).toEqual(['z']);
  });

  it('warns about an input the command never uses', () => {
    const r = parseStepIo({ 'input-unused': 'text' }, 'echo hi');
    expect(r.problems).toEqual([
      {
        severity: 'warning',
        rule: 'step-input',
        message: 'Input "unused" is declared but the command never uses {{unused}}.',
      },
    ]);
  });
});

describe('validateInput', () => {
  it('accepts a value of the declared type that matches the pattern', () => {
    expect(validateInput(text({ pattern: { source: '^[a-z-]+$', flags: '' } }), 'redis-server')).toBeNull();
    expect(validateInput(text({ type: 'integer' }), '-12')).toBeNull();
    expect(validateInput(text({ type: 'path' }), '/var/lib/aura/backups/aura 1.db')).toBeNull();
  });

  it('refuses empty, multi-line, control characters, leading dashes, wrong types and pattern misses', () => {
    expect(validateInput(text(), '')).toMatch(/required/);
    expect(validateInput(text(), 'a\nb')).toMatch(/one line/);
    expect(validateInput(text(), 'a\rb')).toMatch(/one line/);
    expect(validateInput(text(), '\u001b[31m')).toMatch(/control/);
    expect(validateInput(text(), '-rf')).toMatch(/option/);
    expect(validateInput(text({ type: 'path' }), '--help')).toMatch(/\.\/--help/);
    expect(validateInput(text({ type: 'integer' }), '1; rm')).toMatch(/whole number/);
    expect(validateInput(text({ type: 'integer' }), '1e3')).toMatch(/whole number/);
    expect(validateInput(text({ pattern: { source: '^[a-z]+$', flags: '' } }), "a'; touch X")).toMatch(
      /does not match/,
    );
    expect(validateInput(text(), 'x'.repeat(5000))).toMatch(/longer than/);
  });
});

describe('fillInputs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-inputs-'));

  it('fills each hostile value as exactly one argument that bash never runs', () => {
    for (const value of HOSTILE) {
      // The quoting is the install variables' own: fillVariables over the install-filled command.
      const { filled, refused } = fillVariables("printf '%s\\0' {{target}} end", { target: value });
      expect(refused).toEqual([]);
      expect(argvOf(filled, dir)).toEqual([value, 'end']);
    }
    expect(fs.existsSync(path.join(dir, 'X'))).toBe(false);
  });

  it('fills a validated value and keeps it one argument in a real bash', () => {
    const step = { filled: "printf '%s\\0' {{target}} end", inputs: [text()] };
    for (const value of ["'; touch X", '$(touch X)', '`touch X`', 'a b; touch X', "it's $HOME", '*']) {
      const r = fillInputs(step, { target: value });
      expect(r.errors).toEqual({});
      expect(argvOf(r.command ?? 'false', dir)).toEqual([value, 'end']);
    }
    expect(fs.existsSync(path.join(dir, 'X'))).toBe(false);
  });

  it('refuses a value that fails validation, naming the input, and fills nothing', () => {
    const step = { filled: 'systemctl start {{target}}', inputs: [text()] };
    expect(fillInputs(step, { target: 'x\ntouch X' })).toEqual({
      command: null,
      errors: { target: 'holds a newline or another control character: a value is one line.' },
    });
    expect(fillInputs(step, { target: '--now' }).command).toBeNull();
    expect(fillInputs(step, {}).errors.target).toMatch(/required/);
  });

  it('refuses a value the step puts where even a quoted one is code, as install variables are', () => {
    const step = { filled: 'eval {{target}}', inputs: [text()] };
    expect(fillInputs(step, { target: "'; touch X" }).errors.target).toMatch(/cannot be filled safely/);
    // A value made of safe characters is still filled there, as for install variables.
    expect(fillInputs(step, { target: 'redis-server' }).command).toBe('eval redis-server');
  });
});

describe('outputs', () => {
  it('takes the first capture, the whole match, or the trimmed output', () => {
    expect(
      extractOutput(
        { name: 'f', match: { source: '^(/\\S+\\.db)$', flags: 'm' } },
        'x\n/data/backups/aura.db\n  1 bytes',
      ),
    ).toEqual({ value: '/data/backups/aura.db' });
    expect(extractOutput({ name: 'f', match: { source: '\\d+', flags: '' } }, 'count 42')).toEqual({
      value: '42',
    });
    expect(extractOutput({ name: 'f', match: null }, '\u001b[32m  hello \u001b[0m\r\n')).toEqual({
      value: 'hello',
    });
    expect(extractOutput({ name: 'f', match: { source: 'nope', flags: '' } }, 'x')).toEqual({
      error: 'the output does not match /nope/',
    });
    expect(extractOutput({ name: 'f', match: null }, '  \n')).toEqual({ error: 'the output is empty' });
  });

  it('starts an input from the earlier output, else its default, else empty', () => {
    const inputs = [
      text({ name: 'a', from: { step: 's1', output: 'o' }, default: 'd' }),
      text({ name: 'b', default: 'dflt' }),
      text({ name: 'c' }),
    ];
    expect(initialValues(inputs, { 's1.o': 'from-output' })).toEqual({ a: 'from-output', b: 'dflt', c: '' });
    expect(initialValues(inputs, {})).toEqual({ a: 'd', b: 'dflt', c: '' });
  });
});

describe('parser and lint wiring', () => {
  const doc = (fence1: string, fence2: string) =>
    parseRunbook(
      `# T\n\n## Diagnosis\n\n\`\`\`bash ${fence1}\necho /tmp/a.db\n\`\`\`\n\n\`\`\`bash ${fence2}\nls -l {{file}} {{dbPath}}\n\`\`\`\n`,
      { file: 't.md', variables: { dbPath: '/d/aura.db' } },
    );

  it('gives steps their inputs, output and requires; an input is not a missing install variable', () => {
    const d = doc(
      '{name="first" output="file"}',
      '{name="second" input-file="path" input-file-from="first.file" requires="backup, step:first"}',
    );
    expect(d.problems).toEqual([]);
    const second = d.steps[1];
    expect(second.inputs?.map((i) => i.name)).toEqual(['file']);
    expect(second.requires).toEqual([{ kind: 'backup' }, { kind: 'step-ok', step: 'first' }]);
    expect(second.missingVariables).toEqual([]);
    expect(second.filled).toBe('ls -l {{file}} /d/aura.db');
    expect(d.steps[0].output).toEqual({ name: 'file', match: null });
  });

  it('reports a from or step: that names no earlier step, and an unknown precondition', () => {
    const d = doc(
      '{name="first"}',
      '{name="second" input-file="path" input-file-from="first.file" requires="step:later, reboot-first"}',
    );
    const rules = d.problems.map((p) => `${p.rule}: ${p.message}`);
    expect(rules).toContain(
      'step-input: input-file-from="first.file" must name the output of an earlier step of this runbook.',
    );
    expect(rules).toContain('step-requires: requires step:later must name an earlier step of this runbook.');
    expect(
      rules.some((r) => r.startsWith('step-requires: requires: "reboot-first" is not a precondition')),
    ).toBe(true);
  });
});
