import { currentSettings, logger } from './settings.js';

/** What every callback event carries. */
export interface CallbackEventBase {
  /** Unique id shared by the start and end events of one call. */
  readonly callId: string;
}

/** Payloads of the callback events, by event name. */
export interface CallbackEvents {
  moduleStart: CallbackEventBase & {
    readonly module: string;
    readonly inputs: Readonly<Record<string, unknown>>;
  };
  moduleEnd: CallbackEventBase & {
    readonly module: string;
    readonly outputs?: unknown;
    readonly error?: unknown;
  };
  lmStart: CallbackEventBase & { readonly model: string; readonly request: unknown };
  lmEnd: CallbackEventBase & {
    readonly model: string;
    readonly response?: unknown;
    readonly error?: unknown;
  };
  formatStart: CallbackEventBase & { readonly adapter: string; readonly signature: string };
  formatEnd: CallbackEventBase & {
    readonly adapter: string;
    readonly messages?: unknown;
    readonly error?: unknown;
  };
  parseStart: CallbackEventBase & {
    readonly adapter: string;
    readonly signature: string;
    readonly completion: string;
  };
  parseEnd: CallbackEventBase & {
    readonly adapter: string;
    readonly outputs?: unknown;
    readonly error?: unknown;
  };
  toolStart: CallbackEventBase & {
    readonly tool: string;
    readonly args: unknown;
    /** The id of the model's tool call this run answers, when the tool was called for one. */
    readonly toolCallId?: string;
  };
  toolEnd: CallbackEventBase & {
    readonly tool: string;
    readonly result?: unknown;
    readonly error?: unknown;
    /** The id of the model's tool call this run answers, when the tool was called for one. */
    readonly toolCallId?: string;
  };
  evaluateStart: CallbackEventBase & { readonly program: string; readonly size: number };
  evaluateEnd: CallbackEventBase & {
    readonly program: string;
    readonly score?: number;
    readonly error?: unknown;
  };
  compileStart: CallbackEventBase & { readonly optimizer: string; readonly program: string };
  compileEnd: CallbackEventBase & {
    readonly optimizer: string;
    readonly score?: number;
    readonly error?: unknown;
  };
}

/** A callback event name. */
export type CallbackEventName = keyof CallbackEvents;

/**
 * Hooks called at the start and end of module, LM, adapter, tool, evaluate and compile
 * calls, for logging and tracing. Register with `configure({ callbacks: [cb] })`.
 *
 * @example
 * ```ts
 * configure({ callbacks: [{ onEvent: (name, e) => console.log(name, e.callId) }] });
 * ```
 */
export type Callback = {
  readonly [E in CallbackEventName as `on${Capitalize<E>}`]?: (event: CallbackEvents[E]) => void;
} & {
  /** Called for every event, after the specific handler. */
  readonly onEvent?: <E extends CallbackEventName>(name: E, event: CallbackEvents[E]) => void;
};

let counter = 0;

/** A fresh call id. */
export function newCallId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}`;
}

/**
 * Sends an event to every callback in force. A callback that throws is logged and ignored:
 * observers never break the program they observe.
 */
export function emit<E extends CallbackEventName>(name: E, event: CallbackEvents[E]): void {
  const callbacks = currentSettings().callbacks;
  if (!callbacks || callbacks.length === 0) return;
  const key = `on${name[0]?.toUpperCase()}${name.slice(1)}` as `on${Capitalize<E>}`;
  for (const cb of callbacks) {
    try {
      const handler = cb[key] as ((e: CallbackEvents[E]) => void) | undefined;
      handler?.(event);
      cb.onEvent?.(name, event);
    } catch (err) {
      logger().warn(`callback ${key} threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
