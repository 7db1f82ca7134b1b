export { evaluate, evaluationWarnings } from './engine';
export type {
  CreditEntryInput,
  Evaluation,
  EvaluationWarning,
  GroupBalance,
  Pace,
  PaceStatus,
  TypeBalance,
  Verification,
  YearBalance,
} from './engine';
export { resolvePeriod, portfolioWindowOpensOn } from './period';
export type { CreditPeriod, CreditProfile } from './period';
export { suggestActions, DEFAULT_SUGGESTION_LIMIT } from './suggestions';
export type { SuggestedAction, Suggestion } from './suggestions';
export { checkCreditEntry } from './entry-check';
export type { CreditEntryCheck, CreditEntryDraft, CreditEntryProblem } from './entry-check';
