// Type-checked by `tsc -p tests/ts` in `npm test`: the public API resolves through the package's
// `exports` with its generated types, and misuse is a type error (@ts-expect-error lines).
import {
  buildTransferRequest,
  isGraphCallTransferError,
  parseTransferBody,
  phoneNumber,
  teamsUser,
  type InvitationParticipantInfo,
  type TransferOptions,
  type EndpointType,
} from 'graph-call-transfer';

const target: InvitationParticipantInfo = phoneNumber('+12345678901', { languageId: 'en-US', region: 'amer' });
const options: TransferOptions = { callId: 'c1', transferTarget: target, apiVersion: 'beta', clientRequestId: true };
const request = buildTransferRequest(options);
const url: string = request.url;
const headers: Record<string, string> = request.headers;
const text: string = request.bodyText;
const endpoint: EndpointType = 'voicemail';
const future: EndpointType = 'somethingNew';
buildTransferRequest({ callId: 'c1', transferTarget: teamsUser('u1', { displayName: 'D', endpointType: endpoint }) });
parseTransferBody(new Uint8Array(), 'beta-2018');

try {
  // @ts-expect-error apiVersion is a closed set
  buildTransferRequest({ callId: 'c1', transferTarget: target, apiVersion: 'v2' });
  // @ts-expect-error callId is required
  buildTransferRequest({ transferTarget: target });
  // @ts-expect-error cloud is a closed set
  buildTransferRequest({ callId: 'c1', transferTarget: target, cloud: 'mars' });
} catch (error) {
  if (isGraphCallTransferError(error)) {
    const kind: 'notE164' | string = error.kind;
    const path: string = error.path;
    void kind;
    void path;
  }
}
void url;
void headers;
void text;
void future;
