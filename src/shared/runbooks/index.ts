// The runbook domain's public surface (pure): parser, lint, step expectations, variables, search.
export * from './types';
export { parseRunbook, isIndexFile, sectionNameOf, MAX_PARSE_CHARS } from './parse';
export { parseSeverity, parseCategory, parseReviewDate } from './metadata';
export {
  lintRunbook,
  isStale,
  reviewAgeDays,
  hasErrors,
  formatProblem,
  REVIEW_MAX_AGE_DAYS,
  type LintContext,
} from './lint';
export {
  checkExpectation,
  parseFenceAttrs,
  parseExpectation,
  type CheckResult,
  type CheckStatus,
} from './expect';
export { fillVariables, variablesFromInstall, variablesIn, yyyymmdd, KNOWN_VARIABLES } from './variables';
export { SearchIndex, tokenize, type SearchDoc, type SearchHit, type SearchField } from './search-index';
export { runbookTemplate, fileNameFor, type TemplateInput } from './template';
export { isRefusedUrl, isExternalUrl, slugify } from './paths';
export {
  answerStep,
  checkStep,
  isCheckedStep,
  outcomeText,
  parseAnswers,
  parseCondition,
  type Answer,
  type Outcome,
  type StepAnswer,
} from './findings';
