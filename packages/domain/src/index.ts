export * from './community/lookup';
export * from './community/schema';
export * from './community/validate';
export * from './errors';
export * from './issues/access';
export * from './issues/lifecycle';
export * from './issues/schema';
export * from './routing/decide-route';
