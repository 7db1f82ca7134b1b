import {
  backButton,
  emitEvent,
  init,
  miniApp,
  mockTelegramEnv,
  retrieveRawInitData,
  themeParams,
  viewport,
} from '@telegram-apps/sdk-react';

/** Telegram's apps give the page a webview proxy; its web clients put it in an iframe. */
function insideTelegram(): boolean {
  return 'TelegramWebviewProxy' in window || window.parent !== window;
}

/** The launch parameters Telegram appends to the page's URL (`#tgWebAppData=…&tgWebAppVersion=…`). */
function launchParamsFromUrl(): URLSearchParams | null {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  return hash.has('tgWebAppData') ? hash : null;
}

type Theme = Record<string, `#${string}`>;

const LIGHT: Theme = {
  bg_color: '#ffffff',
  secondary_bg_color: '#f1f1f4',
  section_bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#707579',
  subtitle_text_color: '#707579',
  section_header_text_color: '#3a7bd5',
  link_color: '#2481cc',
  accent_text_color: '#2481cc',
  button_color: '#2481cc',
  button_text_color: '#ffffff',
  destructive_text_color: '#d14e4e',
  header_bg_color: '#ffffff',
  bottom_bar_bg_color: '#ffffff',
  section_separator_color: '#e7e8ec',
};

const DARK: Theme = {
  ...LIGHT,
  bg_color: '#17212b',
  secondary_bg_color: '#0e1621',
  section_bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#7d8b99',
  subtitle_text_color: '#7d8b99',
  section_header_text_color: '#6ab3f3',
  link_color: '#6ab3f3',
  accent_text_color: '#6ab3f3',
  button_color: '#5288c1',
  header_bg_color: '#17212b',
  bottom_bar_bg_color: '#17212b',
  section_separator_color: '#0e1621',
};

/**
 * Outside Telegram (a plain browser: the demo's local URL, the end-to-end tests) there is no Telegram to
 * answer the SDK. As Telegram's reactjs-template does in development, the environment is mocked from the
 * launch parameters in the URL: theme and viewport requests are answered locally, the rest is ignored.
 * Nothing here is trusted by the server, which checks the initData's signature on every request.
 */
function mockOutsideTelegram(params: URLSearchParams): void {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const given = params.get('tgWebAppThemeParams');
  const theme = given ? (JSON.parse(given) as Theme) : dark ? DARK : LIGHT;
  const launchParams = new URLSearchParams(params);
  launchParams.set('tgWebAppThemeParams', JSON.stringify(theme));
  if (!launchParams.has('tgWebAppVersion')) launchParams.set('tgWebAppVersion', '8.0');
  if (!launchParams.has('tgWebAppPlatform')) launchParams.set('tgWebAppPlatform', 'weba');
  const noInsets = { left: 0, top: 0, bottom: 0, right: 0 };
  mockTelegramEnv({
    launchParams,
    onEvent(event) {
      const [method] = event;
      if (method === 'web_app_request_theme') emitEvent('theme_changed', { theme_params: theme });
      else if (method === 'web_app_request_viewport')
        emitEvent('viewport_changed', { height: window.innerHeight, width: window.innerWidth, is_expanded: true, is_state_stable: true });
      else if (method === 'web_app_request_content_safe_area') emitEvent('content_safe_area_changed', noInsets);
      else if (method === 'web_app_request_safe_area') emitEvent('safe_area_changed', noInsets);
    },
  });
}

const OUTSIDE_LAUNCH_KEY = 'cabinet:launch-outside-telegram';

export interface TelegramLaunch {
  /** The signed launch data the server checks on every request; null: the page was not opened from Telegram. */
  initData: string | null;
}

/**
 * Starts the SDK: theme colours as CSS variables (--tg-theme-*), the viewport expanded, the back button
 * ready, and tells Telegram the page is ready. The launch parameters are then dropped from the address
 * bar (the SDK keeps them for a reload), so the initData never lingers in the browser's history.
 */
export function startTelegram(): TelegramLaunch {
  const fromUrl = launchParamsFromUrl();
  if (!insideTelegram()) {
    // A reload outside Telegram finds the address bar clean: the parameters of this tab's launch are kept.
    const stored = sessionStorage.getItem(OUTSIDE_LAUNCH_KEY);
    const params = fromUrl ?? (stored ? new URLSearchParams(stored) : null);
    if (!params) return { initData: null };
    sessionStorage.setItem(OUTSIDE_LAUNCH_KEY, params.toString());
    mockOutsideTelegram(params);
  }
  let initData: string | null;
  try {
    init();
    initData = retrieveRawInitData() ?? null;
  } catch {
    // Launch parameters missing or malformed: the page was not opened by Telegram.
    return { initData: null };
  }
  backButton.mount.ifAvailable();
  themeParams.mountSync.ifAvailable();
  themeParams.bindCssVars.ifAvailable();
  miniApp.mountSync.ifAvailable();
  miniApp.ready.ifAvailable();
  if (viewport.mount.isAvailable()) {
    void viewport
      .mount()
      .then(() => {
        viewport.bindCssVars.ifAvailable();
        viewport.expand.ifAvailable();
      })
      .catch(() => undefined);
  }
  if (fromUrl) history.replaceState(null, '', window.location.pathname + window.location.search);
  return { initData };
}
