// TypeScript signatures of js/simulate.js (the deterministic Graph simulator).

/** How the simulated Graph treats a transfer request. */
export type SimulatorScenario =
  | 'success'
  | 'successAppTransferred'
  | 'successResultInfo'
  | 'failure'
  | 'duplicated'
  | 'outOfOrder'
  | 'slowTarget'
  | 'throttled'
  | 'stalled';

/** Every scenario name. */
export const SIMULATOR_SCENARIOS: readonly SimulatorScenario[];

/** One transfer request as the simulated Graph receives it. */
export interface SimulateTransferInput {
  /** Default "success". */
  scenario?: SimulatorScenario;
  /** The call id from the URL. */
  callId: string;
  /** The dialect of the endpoint (default "v1.0"). */
  apiVersion?: 'v1.0' | 'beta' | 'beta-2018';
  /** The request body as received; an object is serialized with JSON.stringify. */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | Record<string, unknown>;
  /** The source of every id (default 0). */
  seed?: number;
  /** Now, in ms since the epoch (default 0): the Date header and commsOperation times. */
  now?: number;
  /** The delay unit in ms (default 300, at most 60000). */
  stepMs?: number;
  /** 1 for the first request, 2 for the first retry (default 1). */
  attempt?: number;
  /** The client-request-id header, echoed back. */
  clientRequestId?: string;
}

/** What a simulated notification means. */
export type SimulatedEvent = 'transferring' | 'transferAccepted' | 'transferCompleted' | 'transferFailed' | 'callDeleted';

/** A notification to deliver `delayMs` after the answer. */
export interface ScheduledNotification {
  /** Milliseconds after the answer, non-decreasing. */
  delayMs: number;
  /** The X-Microsoft-Skype-Message-ID header value (the same for a redelivery). */
  messageId: string;
  /** What it means. */
  event: SimulatedEvent;
  /** Whether it repeats an earlier notification. */
  redelivery: boolean;
  /** The exact JSON body Graph would POST. */
  bodyText: string;
}

/** The simulated answer and the notifications after it. */
export interface SimulatedTransfer {
  /** 202, 200 (2018 beta), 400 (bad request) or 429 (throttled). */
  status: number;
  /** Lowercase response headers: request-id, client-request-id, date, content-type, retry-after. */
  headers: Record<string, string>;
  /** The response body: '' for 202, a commsOperation, or a Graph error envelope. */
  bodyText: string;
  /** In delivery order; empty when the request was refused. */
  notifications: ScheduledNotification[];
}

/** Simulates Graph's handling of a transfer request; throws a GraphCallTransferError for bad input. */
export function simulateTransfer(input: SimulateTransferInput): SimulatedTransfer;
