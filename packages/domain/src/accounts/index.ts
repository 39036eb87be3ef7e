export * from './access';
export * from './password';
export * from './phone';
export * from './views';
