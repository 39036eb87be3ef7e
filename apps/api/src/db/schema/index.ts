export * from './accounts';
export * from './community';
export * from './dispatch';
export * from './duty';
export * from './intake';
export * from './issues';
export * from './meetings';
export * from './ratings';
