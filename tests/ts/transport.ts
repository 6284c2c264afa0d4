// Type-checked by `tsc -p tests/ts`: the transport API's public types, and misuse as type errors.
import {
  buildTransferRequest,
  decideRetry,
  isGraphError,
  isTransportError,
  parseTransferResponse,
  sendTransfer,
  teamsUser,
  type RetryDecision,
  type RetryOptions,
  type SendTransferResult,
} from 'graph-call-transfer';

const request = buildTransferRequest({ callId: 'c1', transferTarget: teamsUser('u1'), clientRequestId: true });
const retry: RetryOptions = { maxAttempts: 4, retryUnsafe: false };

async function main(): Promise<void> {
  try {
    const result: SendTransferResult = await sendTransfer(request, { token: async () => 'token', timeoutMs: 5000, retry });
    const attempts: number = result.attempts;
    const id: string = result.clientRequestId;
    const operationId: string | undefined = result.operation?.id;
    void attempts;
    void id;
    void operationId;
    await sendTransfer({ callId: 'c1', transferTarget: teamsUser('u1') }, { token: 't', retry: false, fetch: globalThis.fetch });
    // @ts-expect-error the token is required
    await sendTransfer(request, {});
    // @ts-expect-error retry options are typed
    await sendTransfer(request, { token: 't', retry: { maxAttempts: '3' } });
  } catch (error) {
    if (isGraphError(error)) {
      const status: number = error.status;
      const code: string = error.code;
      const wait: number | undefined = error.retryAfterMs;
      void status, code, wait;
    } else if (isTransportError(error)) {
      const kind: 'timeout' | 'network' | 'aborted' = error.kind;
      void kind;
    }
  }
  const parsed = parseTransferResponse(202, new Headers(), '');
  if (parsed.ok) {
    const status: number = parsed.status;
    void status;
  } else {
    const code: string = parsed.error.code;
    void code;
  }
  const decision: RetryDecision = decideRetry({ attempt: 1, outcome: { status: 429, retryAfterMs: 1000 } });
  if (decision.retry) {
    const delay: number = decision.delayMs;
    void delay;
  } else {
    const reason: 'mayHaveRun' | string = decision.reason;
    void reason;
  }
  // @ts-expect-error an outcome needs a status or a kind
  decideRetry({ attempt: 1, outcome: { code: 'x' } });
}
void main;
