// The command risk classifier (default-deny): a command is read-only only when tree-sitter-bash parses
// it completely into constructs and tools known to only read; anything else is mutating, with why.
import { type CommandClassification, escapeHiddenChars, hasHiddenChars } from '../../../shared/command-risk';
import { loadBashParser } from './bash-parser';
import { firstError, reasonsForTree } from './engine';

/** Longest text classified (a runbook step is a few lines; more is not a command to check by eye). */
export const MAX_CLASSIFIED_CHARS = 16_384;

/** Loads the grammar ahead of the first classification (a host calls it at start; later calls are instant). */
export async function initCommandRisk(): Promise<void> {
  await loadBashParser();
}

/** Classifies a command line (or several lines): read-only, or mutating with the reasons to ask. */
export async function classifyCommand(text: string): Promise<CommandClassification> {
  const reasons: string[] = [];
  if (text.length > MAX_CLASSIFIED_CHARS) {
    return {
      risk: 'mutating',
      reasons: [`the command is longer than ${MAX_CLASSIFIED_CHARS} characters, too long to check`],
    };
  }
  if (hasHiddenChars(text)) {
    const shownChars = [...new Set(text.match(/[^\t\n\x20-\x7e]/gu)?.filter(hasHiddenChars) ?? [])].map(
      escapeHiddenChars,
    );
    reasons.push(
      `holds the control character${shownChars.length > 1 ? 's' : ''} ${shownChars.join(' ')}: a terminal may act on it (bash runs the line at ^O or \\r)`,
    );
  }
  const parser = await loadBashParser();
  parser.parse(text, (root) => {
    if (!root) {
      reasons.push('the bash parser could not read it');
      return;
    }
    const err = firstError(root);
    if (err) reasons.push(`does not parse completely as bash (${err}): unbalanced quotes or brackets`);
    else reasons.push(...reasonsForTree(root));
  });
  const unique = [...new Set(reasons)];
  return { risk: unique.length ? 'mutating' : 'read-only', reasons: unique };
}
