import { Composer } from 'grammy';
import type { BotContext } from '../../context';
import { announcementsComposer } from './announcements';
import { reportsComposer } from './reports';

/** What an organization's admins do in their private chat: reports as files (/report) and announcements (/announce). */
const composer = new Composer<BotContext>();
composer.use(reportsComposer, announcementsComposer);

export { composer as orgReportsFeature };
