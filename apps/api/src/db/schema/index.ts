export * from './accounts';
export * from './community';
export * from './intake';
export * from './issues';
