import { BotApiStandin } from '../index';
import { METHOD_AREAS, methodTable } from './index';

describe('stand-in methods by area', () => {
  const standin = new BotApiStandin();
  const areas = Object.entries(METHOD_AREAS).map(([area, methods]) => ({ area, names: Object.keys(methods(standin)) }));

  it('finds each method in exactly one area', () => {
    const seen = new Map<string, string[]>();
    for (const { area, names } of areas) for (const name of names) seen.set(name, [...(seen.get(name) ?? []), area]);
    expect([...seen].filter(([, where]) => where.length > 1)).toEqual([]);
    expect(Object.keys(methodTable(standin)).sort()).toEqual([...seen.keys()].sort());
  });

  it('puts the methods where their names say', () => {
    const areaOf = (method: string) => areas.find((a) => a.names.includes(method))?.area;
    expect(areaOf('setWebhook')).toBe('updates');
    expect(areaOf('getUpdates')).toBe('updates');
    expect(areaOf('sendMessage')).toBe('messages');
    expect(areaOf('answerCallbackQuery')).toBe('messages');
    expect(areaOf('sendDocument')).toBe('files');
    expect(areaOf('getFile')).toBe('files');
    expect(areaOf('createForumTopic')).toBe('chats');
    expect(areaOf('getChatMember')).toBe('chats');
    expect(areaOf('setMyCommands')).toBe('bot-profile');
  });
});
