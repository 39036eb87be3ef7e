export * from './lock';
export * from './manifest';
export * from './quarter';
export * from './views';
