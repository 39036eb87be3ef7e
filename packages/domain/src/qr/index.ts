export * from './code';
export * from './payload';
export * from './resolve';
