export { describeAttempt } from './describe-attempt';
export { startSimulator, type RunningSimulator, type StartOptions } from './server';
export type { DeliveryAttempt, Subscription } from './store';
export { simulatorApiKey } from './simulator';
