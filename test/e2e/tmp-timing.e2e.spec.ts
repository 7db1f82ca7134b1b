import { startSystem } from '../support/system';
it('times /help', async () => {
  const system = await startSystem({});
  const u = system.standin.user({ id: 5, first_name: 'A', language_code: 'ru' });
  await u.sendCommand('/help');
  const t = Date.now();
  for (let i = 0; i < 20; i++) await u.sendCommand('/help');
  console.log('20 x help ms', Date.now() - t, 'load', require('os').loadavg()[0]);
  await system.stop();
});
