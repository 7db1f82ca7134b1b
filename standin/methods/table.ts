import type { CallCtx, Params } from '../state';

/** Bot API methods by name, each answering its parameters with its result (or throwing an ApiError). */
export type MethodTable = Record<string, (params: Params, ctx: CallCtx) => unknown>;
