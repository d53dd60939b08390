// The handbook's six-section template for "New runbook": front matter plus Overview, Symptoms,
// Diagnosis, Resolution, Prevention and References, with one example step per kind.
import type { RunbookCategory, Severity } from './types';

export interface TemplateInput {
  title: string;
  category: RunbookCategory;
  severity?: Severity;
  owner?: string;
  /** yyyy-mm-dd of creation (counts as the first review). */
  today: string;
}

/** "Database Issues" -> "database-issues.md". */
export function fileNameFor(title: string): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'runbook'}.md`;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

export function runbookTemplate(input: TemplateInput): string {
  return `---
title: ${yamlString(input.title)}
category: ${input.category}
severity: ${input.severity ?? 'SEV-3'}
estimatedTime: 15-30 minutes
symptoms:
  - Describe what the operator sees
tags: []
owner: ${yamlString(input.owner ?? 'Operations Team')}
lastReviewed: ${input.today}
---

# ${input.title}

## 1. Overview

What this runbook handles, its severity and how long it usually takes.

## 2. Symptoms

- Observable symptom or alert
- What users report

## 3. Diagnosis

Check the API is up (a read-only step: its healthy answer and the findings it can give):

\`\`\`bash {name="api-live" ok="/healthy/" finding-api-not-listening="exit 7" finding-api-hung="exit 28"}
curl -fsS --max-time 5 {{apiUrl}}/health/live
\`\`\`

## 4. Resolution

1. Do the first action.
2. Verify the fix.

Rollback: describe how to undo each change.

## 5. Prevention

- Root cause and long-term fix
- Monitoring to add

## 6. References

- Related runbooks
- External documentation
`;
}
