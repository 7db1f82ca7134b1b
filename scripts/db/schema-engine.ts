import { readFileSync } from 'node:fs';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PgMigrationAdapterFactory, type PgMigrationTarget } from './pg-adapter';

export type { SchemaEngine };

type Glue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

const GLUE_MODULE = '@prisma/schema-engine-wasm/schema_engine_bg';

/** Node has WebAssembly, but with lib ES2023 and @types/node 20 it has no typings: the little used here. */
declare const WebAssembly: {
  instantiate(
    binary: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

/** The engine's tracing output (JSON lines), shown with DEBUG=schema-engine. */
const engineLog = process.env.DEBUG?.includes('schema-engine') ? (line: string) => process.stderr.write(`${line}\n`) : () => undefined;

declare global {
  /** Where the engine's Rust panic hook leaves its message before trapping; Prisma's CLI defines it. */
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

/** An engine failure in one line; `code` is Prisma's error code (P3006…) when the engine gave one. */
export class SchemaEngineError extends Error {
  override readonly name = 'SchemaEngineError';

  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Engine messages span lines and end in a Rust span trace (`0: schema_engine_wasm::…`, `at …`). */
  static from(error: unknown): SchemaEngineError {
    if (error instanceof SchemaEngineError) return error;
    const { message, code } = error as { message?: string; code?: unknown };
    const lines = String(message ?? error)
      .split('\n')
      .map((line) => line.trim());
    const traceStart = lines.findIndex((line) => /^\d+: /.test(line));
    const text = (traceStart === -1 ? lines : lines.slice(0, traceStart)).filter(Boolean).join(' ');
    return new SchemaEngineError(text, typeof code === 'string' ? code : undefined, { cause: error });
  }
}

/** Runs `command` on a new engine working on `target`, then frees it and closes the connections it
 * opened. Failures come out as SchemaEngineError. */
export async function withSchemaEngine<T>(target: PgMigrationTarget, command: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadGlue();
  const factory = new PgMigrationAdapterFactory(target);
  try {
    const engine = await SchemaEngine.new({ datamodels: undefined }, engineLog, bindMigrationAwareSqlAdapterFactory(factory));
    try {
      return await command(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw SchemaEngineError.from(error);
  } finally {
    await factory.close();
  }
}

let glue: Promise<Glue> | undefined;

/** The wasm-bindgen glue, bound to its WebAssembly instance. The package's entry imports the .wasm
 * file as a module, which Node 20 cannot do, so the binary is instantiated by hand, once. */
function loadGlue(): Promise<Glue> {
  glue ??= (async () => {
    // A panic traps with a bare `unreachable`, often outside any promise of ours: say why right away.
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message: (message) => process.stderr.write(`schema engine panicked: ${message}\n`),
    };
    const bindings = requireGlue();
    const wasmFile = require.resolve(GLUE_MODULE).replace(/\.js$/, '.wasm');
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), {
      './schema_engine_bg.js': withUnrefTimers(bindings),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return glue;
}

/** The engine races its waits against timers it never clears (the advisory-lock one lasts 10 s), which
 * would keep the process alive after the work is done. */
function withUnrefTimers(bindings: Glue): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(bindings).map(([name, value]) => {
      if (!name.startsWith('__wbg_setTimeout_')) return [name, value];
      const setTimer = value as (...args: unknown[]) => NodeJS.Timeout;
      return [name, (...args: unknown[]) => setTimer(...args).unref()];
    }),
  );
}

function requireGlue(): Glue {
  try {
    // A synchronous require of an ES module (Node ≥ 20.19): the engine is set up in one step.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(GLUE_MODULE) as Glue;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    return compileGlueToCommonJs(require.resolve(GLUE_MODULE));
  }
}

/** The glue is an ES module. Node ≥ 20.19 require()s it, but Jest's module sandbox cannot before
 * Node 24.9, and its config leaves node_modules untransformed: compile it as that transform would.
 * Only tests get here, so the dev dependency @swc/core is there. */
function compileGlueToCommonJs(file: string): Glue {
  // Loaded only here: production never takes this path and does not install @swc/core.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transformSync } = require('@swc/core') as typeof import('@swc/core');
  const { code } = transformSync(readFileSync(file, 'utf8'), {
    filename: file,
    swcrc: false,
    module: { type: 'commonjs' },
    jsc: { target: 'es2022' },
  });
  const compiled = { exports: {} as Glue };
  new Function('module', 'exports', code)(compiled, compiled.exports);
  return compiled.exports;
}
