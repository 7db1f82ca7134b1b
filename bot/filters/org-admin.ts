import type { OrgAdmin } from '../../core/organizations/org-admins.service';
import type { BotContext } from '../context';

/**
 * The organization a person administers, for admin commands in the private chat. Anybody else is told
 * plainly that the command is for their organization's admins, and null is returned.
 */
export async function requireOrgAdmin(ctx: BotContext): Promise<OrgAdmin | null> {
  if (ctx.chat?.type !== 'private' || !ctx.person) return null;
  const admin = await ctx.services.orgAdmins.adminOf(ctx.person.id);
  if (!admin) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('orgAdmin.onlyAdmins'), show_alert: true });
    else await ctx.reply(ctx.t('orgAdmin.onlyAdmins'));
    return null;
  }
  return admin;
}
