// Type-checked by `tsc -p tests/ts`: the callback authentication API through the package's exports.
import {
  CallbackKeySet,
  GRAPH_CALLBACK_OPENID_CONFIGURATION_URL,
  verifyCallbackRequest,
  verifyCallbackToken,
  type CallbackAuthError,
  type CallbackAuthErrorKind,
  type CallbackClaims,
  type VerifiedCallback,
  type VerifyCallbackOptions,
} from 'graph-call-transfer';

const options: VerifyCallbackOptions = {
  appId: '8b4f7c2e-1d3a-4e5b-9c6d-7e8f9a0b1c2d',
  allowedTenants: ['a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'],
  clockSkewSeconds: 120,
  openIdConfigurationUrl: GRAPH_CALLBACK_OPENID_CONFIGURATION_URL,
  cooldownSeconds: 30,
};
const keySet = new CallbackKeySet({ jwksUrl: 'https://keys.example/jwks', cacheTtlSeconds: 600 });
const fetched: number = keySet.fetchCount;

async function handle(request: Request): Promise<Response> {
  try {
    const claims: CallbackClaims = await verifyCallbackToken(request.headers.get('authorization'), { appId: 'x', keySet });
    const tid: string = claims.tid;
    const callback: VerifiedCallback<string[]> = await verifyCallbackRequest(request, {
      ...options,
      parse: (body: Uint8Array) => [String(body.length), tid],
    });
    const first: string | undefined = callback.notifications?.[0];
    return new Response(first ?? String(fetched));
  } catch (e) {
    const kind: CallbackAuthErrorKind = (e as CallbackAuthError).kind;
    return new Response(kind, { status: kind === 'keyFetchFailed' ? 503 : 401 });
  }
}
void handle;

// @ts-expect-error appId is required
const noApp: VerifyCallbackOptions = { jwksUrl: 'https://keys.example/jwks' };
// @ts-expect-error not a cloud
const badCloud: VerifyCallbackOptions = { appId: 'a', cloud: 'mars' };
// @ts-expect-error the error kinds are a closed list
const badKind: CallbackAuthErrorKind = 'nope';
void noApp;
void badCloud;
void badKind;
