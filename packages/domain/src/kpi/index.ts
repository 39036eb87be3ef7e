export * from './build-view';
export * from './charts';
export * from './export';
export * from './facts';
export * from './formulas';
export * from './period';
export * from './scope';
export * from './views';
