export { ACCESS_LEVELS, checkCompleteness } from './completeness';
export type { AccessLevelCode, CheckedItem, Completeness, PortfolioGap, PortfolioSectionCode } from './completeness';
export { educationKind, educationKindOf } from './item-kind';
export type { EducationKind, ReportKind } from './item-kind';
export { checkPublicationUrl } from './publication-url';
export type { UrlProblem } from './publication-url';
export { PortfolioService } from './portfolio.service';
export type {
  PortfolioItemView,
  PortfolioOwner,
  PortfolioRefusal,
  PortfolioRefusalReason,
  PortfolioView,
  ReportInput,
} from './portfolio.service';
