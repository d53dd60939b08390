// The Health tab: quick and integrity checks with progress and cancel, and the online backup (its
// file, size, sha256 and the quick_check of the copy, with a warning when the copy is damaged).
import { useEffect, useState } from 'react';
import type { BackupResult, CheckResult, JobProgress } from '../../../../shared/contract/database';
import { formatBytes } from '../../format';
import { api, type ApiError } from '../../transport';
import { ErrorBox, newId, toApiError } from './db-common';

/** A job the command palette asked for, until the Health tab takes it. */
export type JobRequest = 'backup' | 'integrity' | null;

export default function HealthTab({ request, onTaken }: { request: JobRequest; onTaken: () => void }) {
  const [job, setJob] = useState<{ id: string; what: string } | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [backup, setBackup] = useState<BackupResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const a = api.on('db:check-progress', (p) => setProgress(p));
    const b = api.on('db:backup-progress', (p) => setProgress(p));
    return () => {
      a();
      b();
    };
  }, []);

  const runCheck = async (kind: 'quick' | 'integrity') => {
    const id = newId('check');
    setJob({ id, what: `${kind} check` });
    setError(null);
    setCheck(null);
    setProgress(null);
    try {
      setCheck(await api.invoke('db:check', { kind, jobId: id }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setJob(null);
    }
  };
  const runBackup = async () => {
    const id = newId('backup');
    setJob({ id, what: 'backup' });
    setError(null);
    setBackup(null);
    setProgress(null);
    try {
      setBackup(await api.invoke('db:backup', { jobId: id }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setJob(null);
    }
  };

  useEffect(() => {
    if (!request || job) return;
    onTaken();
    void (request === 'backup' ? runBackup() : runCheck('integrity'));
  });

  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="db-health">
      <div className="db-toolbar">
        <button disabled={!!job} onClick={() => runCheck('quick')}>
          Quick check
        </button>
        <button disabled={!!job} onClick={() => runCheck('integrity')}>
          Integrity check
        </button>
        <button disabled={!!job} onClick={runBackup}>
          Back up now
        </button>
        {job && (
          <button onClick={() => api.invoke('db:cancel', { requestId: job.id })}>Cancel {job.what}</button>
        )}
      </div>
      <div className="db-dim">
        Checks run table by table in a separate process; the backup uses SQLite&apos;s backup API (safe while
        Aura writes) into the console&apos;s data folder. Neither writes aura.db.
      </div>
      {job && progress?.jobId === job.id && (
        <div className="db-progress">
          <div className="db-bar" style={{ width: `${pct}%` }} />
          <span>
            {job.what}: {progress.done}/{progress.total}
            {progress.current ? ` · ${progress.current}` : ''}
          </span>
        </div>
      )}
      <ErrorBox error={error} />
      {check && (
        <div className={check.ok ? 'db-ok' : 'db-err-text'}>
          {check.ok
            ? `OK: ${check.kind} check of ${check.tablesChecked} tables in ${check.elapsedMs} ms.`
            : `${check.problems.length} problem(s) found:`}
          {!check.ok && <pre className="db-pre">{check.problems.join('\n')}</pre>}
        </div>
      )}
      {backup?.damaged && (
        <div className="db-backup-damaged" role="alert" data-testid="db-backup-damaged">
          <strong>Damaged backup: saved, but do not restore from it.</strong>
          <div>{backup.damaged.warning}</div>
          <div className="db-dim db-mono">{backup.damaged.sidecar}</div>
        </div>
      )}
      {backup && (
        <dl className="db-facts">
          <dt>Backup</dt>
          <dd className="db-mono">{backup.file}</dd>
          <dt>quick_check</dt>
          <dd className={backup.quickCheck.ok ? 'db-ok' : 'db-err-text'}>
            {backup.quickCheck.ok
              ? 'ok (the copy is sound)'
              : `FAILED: ${backup.quickCheck.problems.slice(0, 3).join('; ')}`}
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(backup.size)} ({backup.pages} pages) in {backup.elapsedMs} ms
          </dd>
          <dt>sha256</dt>
          <dd className="db-mono">{backup.sha256}</dd>
        </dl>
      )}
    </div>
  );
}
