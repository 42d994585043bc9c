export { describeAttempt } from './describe-attempt';
export { DEFAULT_SIMULATOR_PORT, startSimulator, type RunningSimulator, type StartOptions } from './server';
export type { DeliveryAttempt, Subscription } from './store';
export { simulatorApiKey } from './simulator';
