import type { BotContext } from '../context';

/** Posts as the anonymous group admin arrive from this bot account, with the group as sender_chat. */
const GROUP_ANONYMOUS_BOT = 1087968824;

/** Agents are those listed in SUPPORT_AGENT_IDS and the support group's administrators (anonymous ones too). */
export async function isAgent(ctx: BotContext, chatId: bigint): Promise<boolean> {
  const from = ctx.from;
  if (!from) return false;
  if (from.id === GROUP_ANONYMOUS_BOT) return ctx.msg?.sender_chat?.id === Number(chatId);
  if (ctx.services.config.SUPPORT_AGENT_IDS.includes(from.id)) return true;
  const member = await ctx.api.getChatMember(Number(chatId), from.id).catch(() => null);
  return member?.status === 'creator' || member?.status === 'administrator';
}
