// Type-checks the notify API's declarations (compiled with --noEmit, not run).
import {
  parseNotifications,
  TransferTracker,
  type Notification,
  type Transition,
  type TransferPhase,
  type GraphCallTransferError,
} from '../../js/index.js';

const parsed = parseNotifications(new Uint8Array(0), { maxBytes: 1024 });
const first: Notification | undefined = parsed.notifications[0];
const state: string | null = first ? first.state : null;
const code: number | string | null = first?.resultInfo?.code ?? null;
const err: GraphCallTransferError | undefined = parsed.errors[0];
const index: number | undefined = parsed.errors[0]?.index;
const tracker = new TransferTracker({ stallAfterMs: 1000 });
const replay: Transition[] = tracker.register('call', { now: 0, clientContext: 'ctx' });
const seen: Transition[] = tracker.observe(parsed, { now: 1, messageId: 'm' });
const phase: TransferPhase | null = tracker.phase('call');
const restored = TransferTracker.fromJSON(JSON.stringify(tracker));
const { transitions, errorCount } = restored.observeBody('{"value":[]}', { now: 2 });
void [state, code, err, index, replay, seen, phase, transitions, errorCount];
