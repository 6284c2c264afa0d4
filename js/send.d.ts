// `graph-call-transfer/send`: the send side of js/index.d.ts (build, send, parse the response, retry).
export type {
  CommsOperation,
  EndpointType,
  ErrorKind,
  GraphCallTransferError,
  Identity,
  IdentitySet,
  InvitationParticipantInfo,
  OperationStatus,
  ParticipantInfo,
  ResultInfo,
  TargetExtras,
  TransferBody,
  TransferOptions,
} from './index.js';
export {
  applicationInstance,
  buildTransferRequest,
  isGraphCallTransferError,
  makeError,
  parseTransferBody,
  phoneNumber,
  teamsUser,
  TransferRequest,
} from './index.js';
export * from './transport.js';
