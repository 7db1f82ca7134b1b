/**
 * Chats and topics: forum topics (create, edit, close, reopen, delete), getChat, members and administrators.
 */
import type { User } from '../types';
import {
  type AnyObj,
  type Params,
  type StoredMessage,
  type TopicState,
  type ChatState,
  TOPIC_COLORS,
  bad,
  clone,
  str,
  int,
} from '../state';
import type { BotApiStandin } from '../server';
import type { MethodTable } from './table';

export function chatMethods(s: BotApiStandin): MethodTable {
  return {
    createForumTopic: (p) => {
      const chat = s.requireChat(p);
      if (!chat.chat.is_forum) bad('the chat is not a forum');
      if (!chat.botIsAdmin) bad('not enough rights to create a topic');
      const name = str(p.name) ?? '';
      if (name.length < 1 || name.length > 128) bad('TOPIC_TITLE_EMPTY');
      const color = int(p.icon_color) ?? 7322096;
      if (!TOPIC_COLORS.has(color)) bad('TOPIC_ICON_COLOR_INVALID');
      const emoji = str(p.icon_custom_emoji_id);
      const stored = createTopicIn(s, chat, s.botInfo, true, name, color, emoji);
      const topic = chat.topics.get(stored.message.message_id)!;
      return {
        message_thread_id: topic.message_thread_id,
        name: topic.name,
        icon_color: topic.icon_color,
        ...(topic.icon_custom_emoji_id ? { icon_custom_emoji_id: topic.icon_custom_emoji_id } : {}),
      };
    },
    editForumTopic: (p) => {
      const chat = s.requireChat(p);
      const topic = topicOf(s, chat, p);
      if (!chat.botIsAdmin) bad('not enough rights to edit a topic');
      const name = str(p.name);
      const emoji = str(p.icon_custom_emoji_id);
      if (name !== undefined && (name.length < 1 || name.length > 128)) bad('TOPIC_TITLE_EMPTY');
      if ((name === undefined || name === topic.name) && (emoji === undefined || emoji === topic.icon_custom_emoji_id))
        bad('TOPIC_NOT_MODIFIED');
      if (name !== undefined) topic.name = name;
      if (emoji !== undefined) topic.icon_custom_emoji_id = emoji || undefined;
      s.addMessage(
        chat,
        s.botInfo,
        true,
        {
          forum_topic_edited: {
            ...(name !== undefined ? { name } : {}),
            ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}),
          },
        },
        { threadId: topic.message_thread_id },
      );
      return true;
    },
    closeForumTopic: (p) => setTopicClosed(s, p, true),
    reopenForumTopic: (p) => setTopicClosed(s, p, false),
    deleteForumTopic: (p) => {
      const chat = s.requireChat(p);
      const topic = topicOf(s, chat, p);
      if (!chat.botIsAdmin) bad('not enough rights to delete a topic');
      s.hub.deleteTopic(chat.chat.id, topic.message_thread_id);
      return true;
    },

    getChat: (p) => {
      const chat = s.requireChat(p);
      return {
        ...clone(chat.chat),
        accent_color_id: 0,
        max_reaction_count: 11,
        accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
        ...(chat.chat.type === 'supergroup' ? { permissions: { can_send_messages: true } } : {}),
      };
    },
    getChatMember: (p) => {
      const chat = s.requireChat(p);
      const userId = int(p.user_id);
      if (userId === undefined) bad('user_id is empty');
      return memberOf(s, chat, userId);
    },
    getChatAdministrators: (p) => {
      const chat = s.requireChat(p);
      if (chat.chat.type === 'private') bad('there are no administrators in the private chat');
      const out = [...chat.admins.values()].map((a) => adminObject(s, a.user, a.status));
      if (chat.botIsAdmin) out.push(adminObject(s, s.botInfo, 'administrator'));
      return out;
    },
    getChatMemberCount: (p) => {
      const chat = s.requireChat(p);
      const ids = new Set([...chat.admins.keys(), ...chat.members.keys(), s.botInfo.id]);
      return ids.size;
    },
  };
}

export function topicOf(s: BotApiStandin, chat: ChatState, params: Params): TopicState {
  if (!chat.chat.is_forum) bad('the chat is not a forum');
  const threadId = int(params.message_thread_id);
  const topic = threadId === undefined ? undefined : chat.topics.get(threadId);
  if (!topic || topic.deleted) bad('message thread not found');
  return topic;
}

export function createTopicIn(
  s: BotApiStandin,
  chat: ChatState,
  from: User,
  fromBot: boolean,
  name: string,
  iconColor: number,
  emojiId?: string,
): StoredMessage {
  const stored = s.addMessage(
    chat,
    from,
    fromBot,
    {
      forum_topic_created: { name, icon_color: iconColor, ...(emojiId ? { icon_custom_emoji_id: emojiId } : {}) },
    },
    {},
  );
  const threadId = stored.message.message_id as number;
  stored.threadId = threadId;
  stored.message.message_thread_id = threadId;
  chat.topics.set(threadId, {
    message_thread_id: threadId,
    name,
    icon_color: iconColor,
    icon_custom_emoji_id: emojiId,
    is_closed: false,
    deleted: false,
  });
  return stored;
}

export function setTopicClosed(s: BotApiStandin, p: Params, closed: boolean): true {
  const chat = s.requireChat(p);
  const topic = topicOf(s, chat, p);
  if (!chat.botIsAdmin) bad('not enough rights to manage topics');
  if (topic.is_closed === closed) bad('TOPIC_NOT_MODIFIED');
  topic.is_closed = closed;
  s.addMessage(chat, s.botInfo, true, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} }, {
    threadId: topic.message_thread_id,
  });
  return true;
}

export function memberOf(s: BotApiStandin, chat: ChatState, userId: number): AnyObj {
  if (userId === s.botInfo.id) {
    if (chat.chat.type === 'private')
      return { user: s.botUser, status: chat.blockedByUser ? 'kicked' : 'member', ...(chat.blockedByUser ? { until_date: 0 } : {}) };
    return chat.botIsAdmin ? adminObject(s, s.botInfo, 'administrator') : { user: s.botUser, status: 'member' };
  }
  const admin = chat.admins.get(userId);
  if (admin) return adminObject(s, admin.user, admin.status);
  const member = chat.members.get(userId);
  if (member) return { user: clone(member), status: 'member' };
  const known = s.users.get(userId);
  if (known) return { user: clone(known), status: 'left' };
  bad('user not found');
}

export function adminObject(s: BotApiStandin, user: User, status: 'creator' | 'administrator'): AnyObj {
  if (status === 'creator') return { user: clone(user), status: 'creator', is_anonymous: false };
  return {
    user: clone(user),
    status: 'administrator',
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: true,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
    can_manage_topics: true,
  };
}
