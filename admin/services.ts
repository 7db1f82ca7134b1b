import { AttendanceService } from '../core/attendance/attendance.service';
import type { EvaluationRequests } from '../core/credits/credits.service';
import { CreditImportService } from '../core/credits/credit-import.service';
import { InvitesService } from '../core/organizations/invites.service';
import { OrganizationsService } from '../core/organizations/organizations.service';
import { OrgAdminsService } from '../core/organizations/org-admins.service';
import { RosterImportService } from '../core/organizations/roster-import.service';
import type { PersonalDataCipher } from '../core/people/personal-data';
import type { RuleSetRepository } from '../core/rules/rule-set.repository';
import type { Clock } from '../core/shared/clock';
import type { Database } from '../core/shared/database';

/** The core services an organization admin works with, the same for the HTTP API and the CLI. */
export interface AdminServices {
  ruleSets: RuleSetRepository;
  organizations: OrganizationsService;
  roster: RosterImportService;
  credits: CreditImportService;
  invites: InvitesService;
  orgAdmins: OrgAdminsService;
  attendance: AttendanceService;
}

export interface AdminDependencies {
  db: Database;
  cipher: PersonalDataCipher;
  clock: Clock;
  ruleSets: RuleSetRepository;
  evaluations: EvaluationRequests;
}

export function createAdminServices({ db, cipher, clock, ruleSets, evaluations }: AdminDependencies): AdminServices {
  return {
    ruleSets,
    organizations: new OrganizationsService(db, ruleSets, clock),
    roster: new RosterImportService(db, cipher, evaluations, clock),
    credits: new CreditImportService(db, cipher, ruleSets, evaluations, clock),
    invites: new InvitesService(db, cipher, clock),
    orgAdmins: new OrgAdminsService(db, clock),
    attendance: new AttendanceService(db, cipher, ruleSets, evaluations, clock),
  };
}
