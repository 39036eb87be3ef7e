export * from './answers';
export * from './campaign';
export * from './codes';
export * from './household';
export * from './questionnaire';
export * from './views';
