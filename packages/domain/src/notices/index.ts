export * from './generators';
export * from './lifecycle';
export * from './views';
