import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it with apt); Playwright's own browser download is not used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const PHONE = { width: 390, height: 844 } as const;

export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/cabinet');

export interface RunningBrowser {
  browser: Browser;
  /** A fresh phone-sized page (its own context: nothing shared between people). */
  phone(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * A headless Chromium as Telegram's webview stands in for it: a phone viewport, touch, no network but
 * the loopback server (the flags keep Chromium from calling Google's services this network refuses).
 */
export async function startBrowser(): Promise<RunningBrowser> {
  // Playwright gives every launch a fresh profile (--user-data-dir) of its own and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    async phone() {
      const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ru-RU' });
      return context.newPage();
    },
    async close() {
      await browser.close();
    },
  };
}

/** The cabinet's URL as Telegram opens it: the launch parameters in the fragment, never in the query. */
export function cabinetUrl(baseUrl: string, initData: string): string {
  const params = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'tdesktop' });
  return `${baseUrl}/cabinet/#${params.toString()}`;
}
