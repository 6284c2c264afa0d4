// Type-checks the per-side subpaths (`graph-call-transfer/send`, `graph-call-transfer/receive`):
// each has its half of the API's types; the other half is absent.
import { buildTransferRequest, decideRetry, sendTransfer, teamsUser, type TransferRequest, type RetryDecision } from 'graph-call-transfer/send';
import { parseNotifications, TransferTracker, verifyCallbackRequest, type ParsedNotifications, type CallbackClaims } from 'graph-call-transfer/receive';
import { init as initSend } from 'graph-call-transfer/send/manual';
import { initSync as initReceiveSync } from 'graph-call-transfer/receive/manual';
import * as send from 'graph-call-transfer/send';
import * as receive from 'graph-call-transfer/receive';

const request: TransferRequest = buildTransferRequest({ callId: 'c1', transferTarget: teamsUser('u1') });
const decision: RetryDecision = decideRetry({ attempt: 1, outcome: { status: 429 }, startedAt: 0, now: 1 });
const sent: Promise<{ status: number }> = sendTransfer(request, { token: 't' });
const parsed: ParsedNotifications = parseNotifications('{"value":[]}');
const tracker = new TransferTracker({ stallAfterMs: 1000 });
tracker.observe(parsed, { now: 0 });
async function handle(req: Request): Promise<CallbackClaims> {
  return (await verifyCallbackRequest(req, { appId: 'a' })).claims;
}
void [decision, sent, handle, initSend, initReceiveSync];

// @ts-expect-error the send side has no notification parser
send.parseNotifications;
// @ts-expect-error the receive side has no request builder
receive.buildTransferRequest;
