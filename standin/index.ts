/** Telegram Bot API stand-in: a real HTTP server speaking the Bot API, with simulated users and fault injection. */
export { BotApiStandin } from './server';
export { ChatSession, SimulatedGroup, SimulatedUser, OUTPUT_METHODS } from './simulated-user';
export type { ActionOptions, ButtonTarget, ContactSpec } from './simulated-user';
export { ApiError } from './types';
export type {
  ApiErrorBody,
  CallRecord,
  CallbackAnswer,
  DeliveryResult,
  FaultSpec,
  GroupSpec,
  RateLimitConfig,
  ShownMessage,
  StandinEvent,
  StandinOptions,
  StandinStats,
  StoredFile,
  UploadedFileParam,
  UserSpec,
} from './types';
export { parseHtml } from './html';
