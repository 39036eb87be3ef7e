export * from './access';
export * from './password';
export * from './views';
