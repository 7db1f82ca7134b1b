import { startSystem, type RunningSystem } from '../support/system';
import { createLinkedPerson } from '../support/people';

const CABINET_URL = 'https://nmo.example.org/cabinet/';

/**
 * The menu button opens the cabinet under a label in the person's language: Telegram's default button
 * (set at start) has one label for every chat, so a language chosen in the bot labels that chat's own.
 */
describe('the cabinet menu button speaks the language the person chose', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ env: { CABINET_URL } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('is «Кабинет» by default, «Cabinet» once English is chosen at /start, and follows /settings back to Russian', async () => {
    expect(system.standin.menuButton()).toEqual({ type: 'web_app', text: 'Кабинет', web_app: { url: CABINET_URL } });

    const john = system.standin.user({ id: 55501, first_name: 'John', language_code: 'en' });
    await john.sendCommand('/start');
    await john.pressButton('English');
    expect(system.standin.menuButton(55501)).toEqual({ type: 'web_app', text: 'Cabinet', web_app: { url: CABINET_URL } });

    await createLinkedPerson(system, 55502, { language: 'en' });
    const anna = system.standin.user({ id: 55502, first_name: 'Anna', language_code: 'en' });
    await anna.sendCommand('/settings');
    await anna.pressButton('Русский');
    expect(system.standin.menuButton(55502)).toEqual({ type: 'web_app', text: 'Кабинет', web_app: { url: CABINET_URL } });
    // Other chats keep theirs.
    expect(system.standin.menuButton(55501)).toEqual({ type: 'web_app', text: 'Cabinet', web_app: { url: CABINET_URL } });
  });
});
