// TypeScript API of js/notify.js. The model types (states, phases, transitions, tracked transfers)
// are generated from the Rust types by tsify into ../pkg/graph_call_transfer.d.ts.
import type {
  CallState,
  ChangeType,
  NotificationResult,
  OperationStatus,
  ResourceKind,
  ResultCode,
  TrackedTransfer,
  TransferEvent,
  TransferPhase,
  Transition,
} from '../pkg/graph_call_transfer.js';
import type { GraphCallTransferError } from './index.js';

export type {
  CallState,
  ChangeType,
  NotificationResult,
  OperationStatus,
  ResourceKind,
  ResultCode,
  TrackedTransfer,
  TransferEvent,
  TransferPhase,
  Transition,
};

/** Default `maxBytes`: 1 MiB. */
export const DEFAULT_MAX_BYTES: number;
/** Default `maxDepth`: 64 levels (the envelope is level 1). */
export const DEFAULT_MAX_DEPTH: number;

/** A callback body: text, or the UTF-8 bytes (the fast path, e.g. `await request.arrayBuffer()`). */
export type NotificationBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** Limits for {@link parseNotifications}. */
export interface ParseOptions {
  /** The largest body accepted, in bytes (default 1 MiB). */
  maxBytes?: number;
  /** The deepest nesting accepted (default 64). */
  maxDepth?: number;
}

/** One parsed notification. */
export class Notification {
  private constructor();
  /** Position of the item in the body's `value` array. */
  readonly index: number;
  /** What the notification is about. */
  readonly kind: ResourceKind;
  /** `changeType`. */
  readonly changeType: ChangeType | null;
  /** `resourceUrl`, or the 2018 `resource`. */
  readonly resourceUrl: string | null;
  /** The path segment after `/calls/` in the resource URL. */
  readonly callId: string | null;
  /** `resourceData["@odata.type"]`, such as "#microsoft.graph.call". */
  readonly odataType: string | null;
  /** `resourceData["@odata.etag"]`, or the item's `@odata.etag`. */
  readonly etag: string | null;
  /** `state` (2018: `callState`), normalised ("transfer-accepted" reads "transferAccepted"); unknown values verbatim. */
  readonly state: CallState | null;
  /** `terminationReason`, such as "AppTransferred". */
  readonly terminationReason: string | null;
  /** `resultInfo` with `subcode`/`subCode` merged; numeric strings become numbers. */
  readonly resultInfo: NotificationResult | null;
  /** `resourceData.clientContext`. */
  readonly clientContext: string | null;
  /** `resourceData.status` of a commsOperation. */
  readonly operationStatus: OperationStatus | null;
  /** `resourceData.toneInfo.tone`. */
  readonly tone: string | null;
  /** The transfer event this notification signals. */
  readonly transfer: TransferEvent | null;
  /** `resourceData` exactly as sent (JSON text), including fields no schema lists. */
  readonly resourceDataText: string | null;
  /** `resourceData` parsed. */
  readonly resourceData: unknown;
  /** Every field plus `resourceDataText`, as a plain object. */
  toJSON(): NotificationJson;
}

/** What `Notification.toJSON()` returns. */
export interface NotificationJson {
  index: number;
  kind: ResourceKind;
  changeType: ChangeType | null;
  resourceUrl: string | null;
  callId: string | null;
  odataType: string | null;
  etag: string | null;
  state: CallState | null;
  terminationReason: string | null;
  resultInfo: NotificationResult | null;
  clientContext: string | null;
  operationStatus: OperationStatus | null;
  tone: string | null;
  transfer: TransferEvent | null;
  resourceDataText: string | null;
}

/** A bad item of a batch. */
export interface NotificationItemError extends GraphCallTransferError {
  /** Position of the item in the body's `value` array. */
  index: number;
}

/** The result of {@link parseNotifications}. */
export interface ParsedNotifications {
  /** The good items, in body order. */
  notifications: Notification[];
  /** The bad items (path such as "value[3].resourceData.state"), in body order. */
  errors: NotificationItemError[];
}

/**
 * Parses a Graph callback body. Throws a {@link GraphCallTransferError} (invalidJson, invalidUtf8,
 * invalidEnvelope, tooDeep, tooLarge) for a bad body; bad items are reported in `errors`.
 */
export function parseNotifications(input: NotificationBody, options?: ParseOptions): ParsedNotifications;

/** The call id in a resource URL: the path segment after the first `/calls/`. */
export function callIdOf(url: string): string | null;

/** The size of the package's wasm memory in bytes (diagnostics: it must stay flat under load). */
export function wasmMemoryBytes(): number;

/** Options of a {@link TransferTracker}. */
export interface TransferTrackerOptions {
  /** A transfer without progress for this long is "stalled" (default 60000 ms). */
  stallAfterMs?: number;
  /** Message ids remembered for de-duplication (default 4096). */
  maxMessageIds?: number;
  /** Notifications kept per call that is not registered yet (default 8). */
  maxEarlyPerCall?: number;
  /** Calls not registered yet for which notifications are kept (default 256). */
  maxEarlyCalls?: number;
}

/** How a notification was delivered. */
export interface ObserveOptions {
  /** The X-Microsoft-Skype-Message-ID header (or any id unique per delivered body). */
  messageId?: string | null;
  /** Milliseconds on the caller's clock. */
  now: number;
}

/** Tracks transfers: one phase per call, tolerant of duplicates and reordering. */
export class TransferTracker {
  constructor(options?: TransferTrackerOptions);
  /** Restores a tracker from `toJSON()` output (the object or its JSON text). */
  static fromJSON(state: TransferTrackerState | string): TransferTracker;
  /** The whole state, JSON-compatible (what `JSON.stringify(tracker)` writes). */
  toJSON(): TransferTrackerState;
  /** Starts tracking a transfer; returns transitions of notifications that arrived before. */
  register(callId: string, options: { clientContext?: string | null; now: number }): Transition[];
  /** Feeds notifications; returns the transitions they caused. */
  observe(input: Notification | readonly Notification[] | ParsedNotifications, options: ObserveOptions): Transition[];
  /** Parses a body and feeds every notification in it (`parseNotifications` + one tracker call). */
  observeBody(input: NotificationBody, options: ObserveOptions & ParseOptions): { transitions: Transition[]; errorCount: number };
  /** Marks transfers without progress as stalled; returns those transitions. */
  tick(now: number): Transition[];
  /** The phase of `callId`'s transfer, or null when it is not tracked. */
  phase(callId: string): TransferPhase | null;
  /** Everything known about `callId`'s transfer, or null. */
  get(callId: string): TrackedTransfer | null;
  /** Every tracked transfer, ordered by call id. */
  transfers(): TrackedTransfer[];
  /** Stops tracking `callId`; whether it was tracked. */
  remove(callId: string): boolean;
  /** Frees the wasm memory now. */
  free(): void;
}

/** The serialized tracker state (opaque apart from `transfers`). */
export interface TransferTrackerState {
  options: Required<TransferTrackerOptions>;
  transfers: Record<string, TrackedTransfer>;
  [other: string]: unknown;
}
