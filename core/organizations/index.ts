export { parseCategory, STAFF_CATEGORIES } from './categories';
export { type ImportActor, type ImportOutcome, type ImportReport, type RowRejection } from './import-report';
export { describeFileProblem, type FileProblem, type ImportRow, type ImportTable } from './import-table';
export {
  DEFAULT_INVITE_DAYS,
  InviteRequestError,
  InvitesService,
  MAX_INVITE_DAYS,
  type IssuedInvite,
  type IssueResult,
} from './invites.service';
export { ORGANIZATION_CODE, OrganizationsService, type OrganizationOverview } from './organizations.service';
export { ROSTER_COLUMNS, RosterImportService } from './roster-import.service';
export { OrgAdminsService, type OrgAdmin } from './org-admins.service';
