// Test fixture for the review suites (shared and service): the API Down runbook, with every section
// lint asks for, a checked liveness step and a restart step, under the front matter a suite gives.

/**
 * The API Down runbook: `frontMatter` holds the lines after `title:` (each ending in a newline),
 * `apiUrl` is what the liveness step curls and `restart` the resolution's first line.
 */
export function apiDownRunbook(frontMatter: string, apiUrl: string, restart: string): string {
  return `---
title: API Down
${frontMatter}---
# API Down

## Overview

The API does not answer.

## Symptoms

- Requests fail

## Diagnosis

\`\`\`bash {name="liveness" expect="/200/"}
curl -s ${apiUrl}/health/live
\`\`\`

## Resolution

1. ${restart}

\`\`\`bash {name="restart"}
systemctl restart aura
\`\`\`

## Prevention

Watch it.

## References

- none
`;
}
