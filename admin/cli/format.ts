import type { ImportReport } from '../../core/organizations/import-report';
import type { IssueResult } from '../../core/organizations/invites.service';
import type { OrganizationOverview } from '../../core/organizations/organizations.service';

/** An import report as an admin reads it in a terminal: the counts, then each rejected row with its reasons. */
export function formatReport(what: string, report: ImportReport): string[] {
  const lines = [
    `${what}: ${report.total} row(s) — ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`,
  ];
  if (report.rejected.length > 0) {
    lines.push('Rejected rows (row numbers as in the file, header = 1):');
    for (const rejection of report.rejected) {
      const column = rejection.column === undefined ? '' : `, column ${rejection.column}`;
      lines.push(`  row ${rejection.row}${column}: ${rejection.reasons.join(', ')}`);
    }
  }
  return lines;
}

/** Invites as tab-separated lines, ready to redirect into a file for HR to hand out. */
export function formatInvites(result: IssueResult): { table: string[]; notes: string[] } {
  const table = ['externalId\tfullName\tcode\tlink\texpiresAt'];
  for (const invite of result.invites)
    table.push([invite.externalId, invite.fullName, invite.code, invite.link, invite.expiresAt.toISOString()].join('\t'));
  const notes = [`${result.invites.length} invite code(s) issued; they are shown only now, keep this output safe.`];
  if (result.notFound.length) notes.push(`Not in the roster: ${result.notFound.join(', ')}`);
  if (result.alreadyLinked.length) notes.push(`Already linked, no code needed: ${result.alreadyLinked.join(', ')}`);
  return { table, notes };
}

export function formatOverview(org: OrganizationOverview): string[] {
  const ruleSets = org.ruleSets.length
    ? org.ruleSets.map((a) => `${a.category ?? 'all categories'} → ${a.ruleSetCode}`).join('; ')
    : 'none assigned (the published rule nmo-709n applies)';
  return [
    `${org.code} — ${org.name}`,
    ...(org.contacts ? [`contacts: ${org.contacts}`] : []),
    `roster: ${org.roster.total} (${org.roster.linked} linked), active invite codes: ${org.invites.active}`,
    `rule sets: ${ruleSets}`,
  ];
}
