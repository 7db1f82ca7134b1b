/**
 * Messages: sending text, copying and forwarding, editing text, caption and buttons, deleting, answering a button press, chat actions.
 */
import { isInline, validateMarkup } from '../markup';
import type { CallbackAnswer } from '../types';
import { type AnyObj, CHAT_ACTIONS, FILE_KEYS, bad, clone, str, int } from '../state';
import type { BotApiStandin } from '../server';
import type { MethodTable } from './table';

export function messageMethods(s: BotApiStandin): MethodTable {
  return {
    sendMessage: (p) => {
      const chat = s.requireChat(p);
      const content = s.textContent(p);
      const markup = validateMarkup(p.reply_markup);
      const threadId = s.resolveThread(chat, p);
      const reply = s.resolveReply(chat, p);
      if (p.link_preview_options !== undefined) content.link_preview_options = clone(p.link_preview_options);
      return s.telegramView(s.addMessage(chat, s.botInfo, true, content, { threadId, reply, markup }));
    },
    copyMessage: (p) => {
      const chat = s.requireChat(p);
      const { stored: source } = s.findOwnMessage(p, 'copy', 'from_chat_id');
      const content = s.copyContent(source.message, p);
      const markup = validateMarkup(p.reply_markup);
      const threadId = s.resolveThread(chat, p);
      const reply = s.resolveReply(chat, p);
      const stored = s.addMessage(chat, s.botInfo, true, content, { threadId, reply, markup });
      return { message_id: stored.message.message_id };
    },
    forwardMessage: (p) => {
      const chat = s.requireChat(p);
      const { chat: fromChat, stored: source } = s.findOwnMessage(p, 'forward', 'from_chat_id');
      if (s.isService(source.message)) bad("message can't be forwarded");
      const content: AnyObj = {};
      for (const k of ['text', 'entities', 'caption', 'caption_entities', 'contact', 'location', ...FILE_KEYS]) {
        if (source.message[k] !== undefined) content[k] = clone(source.message[k]);
      }
      content.forward_origin =
        fromChat.chat.type === 'private'
          ? { type: 'user', date: source.message.date, sender_user: clone(source.message.from) }
          : { type: 'chat', date: source.message.date, sender_chat: clone(fromChat.chat) };
      const threadId = s.resolveThread(chat, p);
      return s.telegramView(s.addMessage(chat, s.botInfo, true, content, { threadId }));
    },
    editMessageText: (p) => {
      const { chat, stored } = s.findOwnMessage(p, 'edit');
      if (!stored.fromBot) bad("message can't be edited");
      if (stored.message.text === undefined) bad('there is no text in the message to edit');
      const content = s.textContent(p);
      const markup = validateMarkup(p.reply_markup);
      if (markup && !isInline(markup)) bad('inline keyboard expected');
      return s.applyEdit(chat, stored, { text: content.text, entities: content.entities }, markup);
    },
    editMessageCaption: (p) => {
      const { chat, stored } = s.findOwnMessage(p, 'edit');
      if (!stored.fromBot) bad("message can't be edited");
      if (!FILE_KEYS.some((k) => stored.message[k] !== undefined)) bad('there is no caption in the message to edit');
      const caption = s.captionContent(p);
      const markup = validateMarkup(p.reply_markup);
      if (markup && !isInline(markup)) bad('inline keyboard expected');
      return s.applyEdit(chat, stored, { caption: caption.caption, caption_entities: caption.caption_entities }, markup);
    },
    editMessageReplyMarkup: (p) => {
      const { chat, stored } = s.findOwnMessage(p, 'edit');
      if (!stored.fromBot) bad("message can't be edited");
      const markup = validateMarkup(p.reply_markup);
      if (markup && !isInline(markup)) bad('inline keyboard expected');
      return s.applyEdit(chat, stored, {}, markup);
    },
    deleteMessage: (p) => {
      const { chat, stored } = s.findOwnMessage(p, 'delete');
      s.removeMessage(chat, stored.message.message_id);
      return true;
    },
    deleteMessages: (p) => {
      const chat = s.requireChat(p);
      const ids = p.message_ids;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) bad('message_ids must be an Array of 1-100 identifiers');
      for (const id of ids) if (chat.messages.has(id as number)) s.removeMessage(chat, id as number);
      return true;
    },
    answerCallbackQuery: (p) => {
      const id = str(p.callback_query_id);
      const query = id ? s.callbackQueries.get(id) : undefined;
      if (!id || !query || query.answer) bad('query is too old and response timeout expired or query ID is invalid');
      const text = str(p.text);
      if (text !== undefined && text.length > 200) bad('MESSAGE_TOO_LONG');
      const answer: CallbackAnswer = {
        callback_query_id: id,
        ...(text !== undefined ? { text } : {}),
        ...(p.show_alert !== undefined ? { show_alert: p.show_alert === true } : {}),
        ...(str(p.url) !== undefined ? { url: str(p.url) } : {}),
        ...(int(p.cache_time) !== undefined ? { cache_time: int(p.cache_time) } : {}),
        at: new Date(s.opts.now()),
      };
      query.answer = answer;
      s.emit({ type: 'callbackAnswer', chatId: query.chatId, answer: clone(answer) });
      for (const w of s.answerWaiters.get(id) ?? []) w(clone(answer));
      s.answerWaiters.delete(id);
      return true;
    },
    sendChatAction: (p) => {
      const chat = s.requireChat(p);
      const action = str(p.action);
      if (!action || !CHAT_ACTIONS.has(action)) bad('wrong parameter action in request');
      s.resolveThread(chat, p);
      s.emit({ type: 'chatAction', chatId: chat.chat.id, action });
      return true;
    },
  };
}
