// Type-level usage of the simulator API (checked by tsc in `npm test`).
import { simulateTransfer, SIMULATOR_SCENARIOS } from 'graph-call-transfer/simulator';
import type { SimulatedTransfer, SimulatorScenario, ScheduledNotification, SimulatedEvent } from 'graph-call-transfer/simulator';

const scenario: SimulatorScenario = SIMULATOR_SCENARIOS[0];
const sim: SimulatedTransfer = simulateTransfer({
  scenario,
  callId: '341a0500-d4bf-4224-8b19-1581168d328b',
  apiVersion: 'beta-2018',
  body: { target: { identity: { user: { id: 'u' } } } },
  seed: 1,
  now: Date.now(),
  stepMs: 100,
  attempt: 1,
  clientRequestId: 'c',
});
const status: number = sim.status;
const first: ScheduledNotification | undefined = sim.notifications[0];
const event: SimulatedEvent | undefined = first?.event;
const delay: number | undefined = first?.delayMs;
const retryAfter: string | undefined = sim.headers['retry-after'];
void [status, event, delay, retryAfter];

// @ts-expect-error an unknown scenario is a type error
simulateTransfer({ scenario: 'sometimes', callId: 'x' });
// @ts-expect-error callId is required
simulateTransfer({ scenario: 'failure' });
