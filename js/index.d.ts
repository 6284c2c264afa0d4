// Public TypeScript API. The model and option types are generated from the Rust types (tsify) into
// ../pkg/graph_call_transfer.d.ts and re-exported here; only the wrapper signatures are written by hand.
import type {
  CommsOperation,
  EndpointType,
  Identity,
  IdentitySet,
  InvitationParticipantInfo,
  OperationStatus,
  ParticipantInfo,
  ResultInfo,
  TransferOptions,
} from '../pkg/graph_call_transfer.js';

export type {
  CommsOperation,
  EndpointType,
  Identity,
  IdentitySet,
  InvitationParticipantInfo,
  OperationStatus,
  ParticipantInfo,
  ResultInfo,
  TransferOptions,
};

/** The stable `kind` of every error this package throws. */
export type ErrorKind =
  | 'invalidJson'
  | 'invalidType'
  | 'missingField'
  | 'emptyValue'
  | 'unknownOption'
  | 'unsafeCallId'
  | 'missingIdentity'
  | 'notE164'
  | 'tooLong'
  | 'unsupportedInDialect'
  | 'unknownApiVersion'
  | 'unknownCloud'
  | 'conflictingOptions'
  | 'invalidBaseUrl'
  | 'invalidHeaderValue'
  | 'misplacedField'
  | 'outOfRange'
  | 'tokenUnavailable'
  | 'invalidUtf8'
  | 'invalidEnvelope'
  | 'tooDeep'
  | 'tooLarge'
  | 'tooManyItems';

/** An error thrown by this package: `name` is "GraphCallTransferError". */
export interface GraphCallTransferError extends Error {
  name: 'GraphCallTransferError';
  /** What went wrong, stable across versions. */
  kind: ErrorKind;
  /** The JSON path of the offending value, such as "transferTarget.identity.phone.id" ("" for the whole input). */
  path: string;
  /** Why, without the path. */
  reason: string;
}

/** Whether `value` is an error thrown by this package. */
export function isGraphCallTransferError(value: unknown): value is GraphCallTransferError;

/** A built, validated transfer request. */
export class TransferRequest {
  private constructor();
  /** Always "POST". */
  readonly method: 'POST';
  /** The absolute URL. */
  readonly url: string;
  /** Lowercase header names: "content-type" and, when asked, "client-request-id". */
  readonly headers: Record<string, string>;
  /** The exact JSON body to send. */
  readonly bodyText: string;
  /** The body as a plain object (parsed from `bodyText` on first access). */
  readonly body: Record<string, unknown>;
  /** `{ method, url, headers, body }`. */
  toJSON(): { method: 'POST'; url: string; headers: Record<string, string>; body: Record<string, unknown> };
  /** `RequestInit` for `fetch(request.url, ...)`, with an `authorization: Bearer` header when a token is given. */
  toFetchInit(token?: string): { method: 'POST'; headers: Record<string, string>; body: string };
}

/** Builds and validates a transfer request; throws a {@link GraphCallTransferError} on bad input. */
export function buildTransferRequest(options: TransferOptions): TransferRequest;

/** Extra fields for the target helpers: identity fields plus any invitationParticipantInfo field. */
export type TargetExtras = Partial<Omit<InvitationParticipantInfo, 'identity'>> & {
  displayName?: string;
  tenantId?: string;
};

/** A Teams user (Entra object id) as a transfer target, validated. */
export function teamsUser(userId: string, extras?: TargetExtras): InvitationParticipantInfo;
/** A PSTN number in E.164 form ("+12345678901") as a transfer target, validated. */
export function phoneNumber(e164: string, extras?: Partial<Omit<InvitationParticipantInfo, 'identity'>>): InvitationParticipantInfo;
/** An application instance (resource account) as a transfer target, validated. */
export function applicationInstance(id: string, extras?: TargetExtras & { tenantId?: never }): InvitationParticipantInfo;

/** Builds an error shaped like the package's own (for layers built on top of it). */
export function makeError(kind: string, path: string, reason: string): GraphCallTransferError;

/** A transfer request body in either dialect, as Graph receives it. */
export interface TransferBody {
  transferTarget?: InvitationParticipantInfo;
  target?: InvitationParticipantInfo;
  transferee?: ParticipantInfo;
  clientContext?: string;
  operationContext?: string;
  [extra: string]: unknown;
}

/** Parses and validates a received transfer body (string or bytes) for `apiVersion` (default "v1.0"). */
export function parseTransferBody(body: string | Uint8Array | ArrayBuffer | ArrayBufferView, apiVersion?: 'v1.0' | 'beta' | 'beta-2018'): TransferBody;

export * from './auth.js';
export * from './transport.js';
export * from './notify.js';
