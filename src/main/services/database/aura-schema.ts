// What the inspector knows about Aura's aura.db (FACTS §3): the EF migrations Aura ships and the
// ready-made views for the questions the runbooks ask. Pure data and SQL; no I/O.
import { AURA_EF_MIGRATIONS } from '../../../shared/aura-migrations';
import type { SchemaState } from '../../../shared/contract/database';

/** The migrations EF actually discovers in Aura (classes with a [Migration] attribute), oldest first. */
export const AURA_MIGRATIONS = AURA_EF_MIGRATIONS;

export const MIGRATIONS_TABLE = '__EFMigrationsHistory';

/** Default age after which a Running/Processing job counts as stuck: Aura updates progress far more often. */
export const STUCK_JOB_MINUTES = 30;

/** Compares the applied migration ids with the ones Aura ships. */
export function schemaState(applied: string[] | null): SchemaState {
  const expectedLast = AURA_MIGRATIONS[AURA_MIGRATIONS.length - 1];
  if (applied === null) {
    return {
      state: 'no-history',
      applied: [],
      lastApplied: null,
      expectedLast,
      missing: [...AURA_MIGRATIONS],
      unknown: [],
      summary: 'No __EFMigrationsHistory table: Aura never migrated this database (or it is not aura.db).',
    };
  }
  const sorted = [...applied].sort();
  const known = new Set<string>(AURA_MIGRATIONS);
  const have = new Set(sorted);
  const missing = AURA_MIGRATIONS.filter((m) => !have.has(m));
  const unknown = sorted.filter((m) => !known.has(m));
  const lastApplied = sorted.length ? sorted[sorted.length - 1] : null;
  let state: SchemaState['state'];
  let summary: string;
  if (missing.length === 0 && unknown.length === 0) {
    state = 'current';
    summary = `Schema is current (${expectedLast}).`;
  } else if (unknown.length === 0) {
    state = 'behind';
    summary = `${missing.length} migration(s) not applied; Aura applies them on its next start (or run \`dotnet ef database update\`).`;
  } else if (missing.length === 0) {
    state = 'ahead';
    summary = `Applied migrations this console does not know (${unknown.join(', ')}): a newer Aura wrote this database.`;
  } else {
    state = 'diverged';
    summary = `Missing ${missing.join(', ')} and unknown ${unknown.join(', ')}: this database came from another Aura build.`;
  }
  return { state, applied: sorted, lastApplied, expectedLast, missing, unknown, summary };
}

export interface ViewDef {
  id: string;
  title: string;
  description: string;
  /** Tables (and columns) the view needs; it is unavailable when any is missing. */
  needs: Record<string, string[]>;
  /** The SQL; `?` parameters come from `params`. No LIMIT: the service pages it. */
  sql: string;
  params: (opts: { olderThanMinutes: number }) => (string | number)[];
}

export const READY_VIEWS: ViewDef[] = [
  {
    id: 'failed-jobs',
    title: 'Failed jobs',
    description: 'JobQueue entries that failed, newest first, with LastError.',
    needs: {
      JobQueue: [
        'JobId',
        'Status',
        'LastError',
        'RetryCount',
        'MaxRetries',
        'CurrentStage',
        'UpdatedAt',
        'CorrelationId',
      ],
    },
    sql: `SELECT "JobId", "Status", "LastError", "RetryCount", "MaxRetries", "CurrentStage", "UpdatedAt", "CorrelationId"
FROM "JobQueue"
WHERE lower("Status") IN ('failed', 'error', 'faulted') OR ("LastError" IS NOT NULL AND "LastError" <> '' AND lower("Status") NOT IN ('completed', 'succeeded'))
ORDER BY "UpdatedAt" DESC`,
    params: () => [],
  },
  {
    id: 'stuck-jobs',
    title: 'Stuck jobs',
    description: `JobQueue entries Running/Processing whose UpdatedAt is older than ${STUCK_JOB_MINUTES} minutes (adjustable).`,
    needs: {
      JobQueue: ['JobId', 'Status', 'CurrentStage', 'ProgressPercent', 'WorkerId', 'StartedAt', 'UpdatedAt'],
    },
    sql: `SELECT "JobId", "Status", "CurrentStage", "ProgressPercent", "WorkerId", "StartedAt", "UpdatedAt",
  CAST(round((julianday('now') - julianday("UpdatedAt")) * 1440) AS INTEGER) AS "MinutesSinceUpdate"
FROM "JobQueue"
WHERE lower("Status") IN ('running', 'processing') AND julianday("UpdatedAt") < julianday('now') - ? / 1440.0
ORDER BY "UpdatedAt" ASC`,
    params: (o) => [o.olderThanMinutes],
  },
  {
    id: 'projects-by-status',
    title: 'Projects by status',
    description: 'ProjectStates grouped by Status (soft-deleted counted apart), with the newest update.',
    needs: { ProjectStates: ['Status', 'IsDeleted', 'UpdatedAt'] },
    sql: `SELECT "Status", sum(CASE WHEN "IsDeleted" = 0 THEN 1 ELSE 0 END) AS "Projects",
  sum(CASE WHEN "IsDeleted" <> 0 THEN 1 ELSE 0 END) AS "Deleted", max("UpdatedAt") AS "LastUpdated"
FROM "ProjectStates"
GROUP BY "Status"
ORDER BY "Projects" DESC`,
    params: () => [],
  },
  {
    id: 'audit-failures',
    title: 'Recent audit failures',
    description: 'audit_logs rows with Success = 0, newest first.',
    needs: {
      audit_logs: [
        'Timestamp',
        'Action',
        'Success',
        'ErrorMessage',
        'ResourceType',
        'ResourceId',
        'Username',
        'Severity',
      ],
    },
    sql: `SELECT "Timestamp", "Action", "Severity", "ResourceType", "ResourceId", "Username", "ErrorMessage"
FROM "audit_logs"
WHERE "Success" = 0
ORDER BY "Timestamp" DESC`,
    params: () => [],
  },
];

/** DB growth by table: exact with the dbstat virtual table when compiled in. */
export const GROWTH_DBSTAT_SQL = `SELECT name AS "Object", sum(pgsize) AS "Bytes", count(*) AS "Pages",
  round(100.0 * sum(pgsize) / (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), 1) AS "PercentOfFile"
FROM dbstat GROUP BY name ORDER BY "Bytes" DESC`;

export const GROWTH_VIEW_ID = 'growth-by-table';
