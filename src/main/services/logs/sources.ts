// The folders log panes may read (the attached install's log dirs and the roots the operator added,
// judged by root-policy.ts) and the log families found in them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogFileInfo, LogSources } from '../../../shared/contract/logs';
import { LOG_ROOT_CONFIRM_DETAIL } from '../../../shared/contract/logs';
import { OpsError } from '../../../shared/errors';
import type { ServiceContext } from '../context';
import { LOG_FAMILIES, compareRollOrder, familyById, listFileSet, resolveReal } from './paths';
import { judgeLogRoot, type RootPolicyContext } from './root-policy';

export class LogFolders {
  private extraRoots: string[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    saved: string[],
    private readonly onRootsChanged: ((roots: string[]) => void) | undefined,
    /** Files of a family not on disk yet (an opened bundle's, still verifying). */
    private readonly pendingFiles: ((familyId: string) => LogFileInfo[]) | undefined = undefined,
  ) {
    // Roots saved before the policy existed are judged again: a system folder is dropped, loudly.
    this.extraRoots = saved.filter((r) => {
      const verdict = judgeLogRoot(resolveReal(r), this.policyContext());
      if (verdict.kind !== 'refuse') return true;
      process.stderr.write(`aura-ops: dropped the saved log folder ${r}: ${verdict.reason}\n`);
      return false;
    });
  }

  /** Folders panes may read: the install's logs dir, its Logs (error store) dir, added roots. */
  roots(): string[] {
    const inst = this.ctx.getInstall();
    const r: string[] = [];
    if (inst) {
      r.push(inst.paths.logsDir);
      // ErrorLoggingService defaults to <dataRoot>/Logs, capital L (FACTS §2.4).
      r.push(path.join(inst.paths.dataRoot, 'Logs'));
    }
    return [...r, ...this.extraRoots];
  }

  private policyContext(): RootPolicyContext {
    const inst = this.ctx.getInstall();
    return {
      installDirs: inst ? [resolveReal(inst.paths.dataRoot), resolveReal(inst.paths.logsDir)] : [],
      home: os.homedir() ? resolveReal(os.homedir()) : null,
      windowsDir: process.env.SystemRoot ?? null,
    };
  }

  /** Adds a folder panes may read, judged by root-policy.ts on its real path (symlinks resolved). */
  addRoot(p: string, confirm?: string): LogSources {
    const given = path.resolve(p);
    if (!fs.existsSync(given) || !fs.statSync(given).isDirectory()) {
      throw new OpsError('not-found', `${p} is not a folder. Pick an existing folder that holds log files.`);
    }
    const abs = resolveReal(given);
    const verdict = judgeLogRoot(abs, this.policyContext());
    if (verdict.kind === 'refuse') {
      throw new OpsError(
        'forbidden-path',
        `Refusing to add ${abs} as a log folder: ${verdict.reason} Add the folder that holds the log files instead.`,
      );
    }
    if (verdict.kind === 'confirm' && confirm !== abs) {
      throw new OpsError(
        'forbidden-path',
        `Every file under ${abs} would become readable in the console: ${verdict.reason} To add it anyway, type its full path: ${abs}`,
        LOG_ROOT_CONFIRM_DETAIL,
      );
    }
    if (!this.extraRoots.includes(abs)) {
      this.extraRoots.push(abs);
      try {
        this.onRootsChanged?.([...this.extraRoots]);
      } catch (err) {
        throw new OpsError(
          'internal',
          `${abs} was added for this session but could not be saved (${(err as Error).message}); it will be gone after a restart. Check that the console's data folder is writable.`,
        );
      }
    }
    return this.sources();
  }

  /** The dir a family lives in: the logs dir, or <dataRoot>/Logs for the error store. */
  familyDir(familyId: string): string {
    const inst = this.ctx.getInstall();
    if (!inst) {
      throw new OpsError(
        'unavailable',
        'No Aura install is attached. Attach one in the install picker, or open a file by path.',
      );
    }
    const fam = familyById(familyId);
    if (fam?.id === 'errors-jsonl') {
      const alt = path.join(inst.paths.dataRoot, 'Logs');
      if (
        listFileSet(inst.paths.logsDir, fam.pattern).length === 0 &&
        listFileSet(alt, fam.pattern).length > 0
      )
        return alt;
    }
    return inst.paths.logsDir;
  }

  sources(): LogSources {
    const inst = this.ctx.getInstall();
    const logsDir = inst?.paths.logsDir ?? null;
    const families = inst
      ? LOG_FAMILIES.map((f) => {
          const dir = this.familyDir(f.id);
          const files: LogFileInfo[] = listFileSet(dir, f.pattern).map((name) => {
            const st = fs.statSync(path.join(dir, name));
            return { name, size: st.size, mtimeMs: st.mtimeMs };
          });
          const have = new Set(files.map((x) => x.name));
          const pending = (this.pendingFiles?.(f.id) ?? []).filter((x) => !have.has(x.name));
          if (pending.length) {
            files.push(...pending);
            files.sort((x, y) => compareRollOrder(x.name, y.name));
          }
          return { family: f.id, label: f.label, pattern: f.pattern, format: f.format, files };
        }).filter((f) => f.files.length > 0)
      : [];
    return {
      logsDir,
      logsDirExists: logsDir !== null && fs.existsSync(logsDir),
      roots: this.roots(),
      families,
    };
  }
}
