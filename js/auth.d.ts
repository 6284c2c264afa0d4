// TypeScript signatures of js/auth.js (callback authentication). CallbackAuthOptions (the claim
// policy) is generated from the Rust type by tsify.
import type { CallbackAuthOptions } from '../pkg/graph_call_transfer.js';

export type { CallbackAuthOptions };

/** Microsoft's OpenID configuration for the keys that sign Graph calling callbacks (the default key source). */
export const GRAPH_CALLBACK_OPENID_CONFIGURATION_URL: string;

/** The `kind` of a callback authentication failure. */
export type CallbackAuthErrorKind =
  | 'missingToken'
  | 'malformed'
  | 'unsupportedAlgorithm'
  | 'unknownKey'
  | 'badSignature'
  | 'expired'
  | 'notYetValid'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'missingTenant'
  | 'tenantNotAllowed'
  | 'keyFetchFailed';

/** Why a callback was refused: `name` is "GraphCallTransferError", as for the package's other errors. */
export interface CallbackAuthError extends Error {
  name: 'GraphCallTransferError';
  /** What was wrong, stable across versions. */
  kind: CallbackAuthErrorKind;
  /** Where: "authorization", "header.alg", "header.kid", "payload.exp", "signature", ... ("" for the whole token). */
  path: string;
  /** Why, without the path. */
  reason: string;
}

/** One JSON Web Key, as found in a JWKS. Only RSA keys with `use` absent or "sig" are used. */
export interface CallbackJsonWebKey {
  kid?: string;
  kty: string;
  use?: string;
  alg?: string;
  key_ops?: string[];
  n?: string;
  e?: string;
  [member: string]: unknown;
}

/** A JSON Web Key Set. */
export interface CallbackJsonWebKeySet {
  keys: CallbackJsonWebKey[];
  [member: string]: unknown;
}

/** Where the signing keys come from and how they are cached. Give at most one of jwks, jwksUrl, openIdConfigurationUrl. */
export interface CallbackKeySetOptions {
  /** A key set given directly (never fetched). */
  jwks?: CallbackJsonWebKeySet;
  /** A JWKS URL: https, or http to a loopback host. */
  jwksUrl?: string;
  /** An OpenID configuration URL whose `jwks_uri` names the key set. Default: {@link GRAPH_CALLBACK_OPENID_CONFIGURATION_URL}. */
  openIdConfigurationUrl?: string;
  /** The fetch to use (default: the global fetch). */
  fetch?: (url: string, init: { method: 'GET'; redirect: 'manual'; signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;
  /** How long fetched keys are used before a refetch, in seconds. Default 3600. */
  cacheTtlSeconds?: number;
  /** The least time between two fetches, in seconds, whatever the tokens say. Default 60. */
  cooldownSeconds?: number;
  /** The limit for each key document fetch (headers and body), in seconds. Default 5. */
  timeoutSeconds?: number;
  /** The clock, in milliseconds since the Unix epoch. Default `Date.now`. */
  clock?: () => number;
}

/** A cache of signing keys shared between verifications (see {@link CallbackKeySetOptions}). */
export class CallbackKeySet {
  constructor(options?: CallbackKeySetOptions);
  /** How many times the keys were fetched (an OpenID configuration and its JWKS count as one). */
  readonly fetchCount: number;
  /** The kids of the usable keys currently cached. */
  readonly kids: string[];
  /** Fetches the keys now, whatever the TTL and cooldown say; rejects with `keyFetchFailed`. */
  refresh(): Promise<void>;
  /** The imported key for `kid`; rejects with `unknownKey` or `keyFetchFailed`. */
  key(kid: string): Promise<CryptoKey>;
}

/** The options of {@link verifyCallbackToken}: the claim policy plus the key source. */
export interface VerifyCallbackOptions extends CallbackAuthOptions, CallbackKeySetOptions {
  /** A shared key cache, instead of the key source options. */
  keySet?: CallbackKeySet;
}

/** The claims of a verified callback token. */
export interface CallbackClaims {
  iss: string;
  aud: string | string[];
  exp: number;
  nbf?: number;
  iat?: number;
  tid: string;
  [claim: string]: unknown;
}

/**
 * Verifies the `Authorization` header value of a Graph callback ("Bearer <jwt>"). Resolves to the
 * claims; rejects with a {@link CallbackAuthError}.
 */
export function verifyCallbackToken(authorization: string | null | undefined, options: VerifyCallbackOptions): Promise<CallbackClaims>;

/** The options of {@link verifyCallbackRequest}. */
export interface VerifyCallbackRequestOptions<T = unknown> extends VerifyCallbackOptions {
  /** Parses the body; default: the package's parseNotifications when it has one. */
  parse?: (body: Uint8Array) => T | Promise<T>;
}

/** A verified callback. */
export interface VerifiedCallback<T = unknown> {
  claims: CallbackClaims;
  /** The request body. */
  body: Uint8Array;
  /** The parsed notifications, or undefined when no parser is available. */
  notifications: T | undefined;
}

/** Anything shaped like a fetch Request. */
export interface CallbackRequestLike {
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Verifies the bearer token of a callback request, then reads and parses its body. */
export function verifyCallbackRequest<T = unknown>(request: CallbackRequestLike, options: VerifyCallbackRequestOptions<T>): Promise<VerifiedCallback<T>>;
