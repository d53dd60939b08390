// A big, deeply nested Markdown runbook (lists twelve deep, blockquotes inside them, a shell step
// every 500 items) like the 9 MB file that froze the console: for tests and bench/shift.ts.

/** A runbook of about `bytes` bytes (UTF-8, ASCII only) with all six sections. */
export function nestedRunbook(bytes: number): string {
  const head =
    '---\ntitle: Huge nested runbook\ncategory: Incident Response\nseverity: SEV-3\nlastReviewed: 2025-11-01\n---\n# Huge nested runbook\n\n## Overview\n';
  const tail =
    '\n## Symptoms\n- slow\n\n## Diagnosis\n```bash\necho ok\n```\n\n## Resolution\n1. Restart.\n\n## Prevention\n- none\n\n## References\n- none\n';
  const parts: string[] = [head];
  let n = head.length + tail.length;
  for (let i = 0; n < bytes; i++) {
    const line = `${'  '.repeat(i % 12)}- ${'> '.repeat(i % 5)}item ${i} with **bold** and \`code\` and [link](other-${i}.md)\n`;
    parts.push(line);
    n += line.length;
    if (i % 500 === 499) {
      const step = `\n## Diagnosis ${i}\n\n\`\`\`bash\necho step ${i}\n\`\`\`\n\n`;
      parts.push(step);
      n += step.length;
    }
  }
  parts.push(tail);
  return parts.join('');
}
