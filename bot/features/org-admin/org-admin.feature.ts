import { Composer } from 'grammy';
import type { BotContext } from '../../context';
import { requireOrgAdmin } from '../../filters/org-admin';
import { linkedOnly } from '../../filters/linked-only';
import { adminCommandList, commandList } from '../../shared/commands';

const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/**
 * /admin: where an organization's admin (the education department) finds what they can do here. It also
 * gives their own chat a menu with the admin commands, which everybody else's menu does not show.
 */
linked.command('admin', async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const lines = adminCommandList.filter((c) => c !== 'admin').map((c) => `/${c} — ${ctx.t(`commands.${c}`)}`);
  await ctx.reply([ctx.t('orgAdmin.title', { organization: admin.organization.name }), '', ...lines, '', ctx.t('orgAdmin.api')].join('\n'));
  const menu = [...commandList, ...adminCommandList].map((command) => ({ command, description: ctx.t(`commands.${command}`) }));
  // The menu is a convenience: failing to set it must not spoil the answer the admin already has.
  await ctx.api
    .setMyCommands(menu, { scope: { type: 'chat', chat_id: ctx.chat.id } })
    .catch((err: unknown) => ctx.log.warn({ err }, 'admin command menu not set'));
});

export { composer as orgAdminFeature };
