export * from './config';
export * from './gaps';
export * from './generate-rota';
export * from './icalendar';
export * from './on-duty';
export * from './pools';
export * from './swap';
export * from './views';
