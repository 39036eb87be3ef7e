export * from './generators';
export * from './honor-roll';
export * from './lifecycle';
export * from './views';
