export * from './art278';
export * from './config';
export * from './escalation';
export * from './fund-use';
export * from './joint-meeting';
export { MORE_THAN_HALF, THREE_QUARTERS, type Threshold, TWO_THIRDS } from './ratio';
export * from './resolution';
export * from './views';
export * from './zone-meeting';
