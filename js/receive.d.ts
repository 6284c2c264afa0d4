// `graph-call-transfer/receive`: the receive side of js/index.d.ts (verify Graph's callback token,
// parse notifications, track transfers).
export type {
  CommsOperation,
  ErrorKind,
  GraphCallTransferError,
  Identity,
  IdentitySet,
  ParticipantInfo,
  ResultInfo,
} from './index.js';
export { isGraphCallTransferError, makeError } from './index.js';
export * from './auth.js';
export * from './notify.js';
