export * from './config';
export * from './generate-rota';
export * from './icalendar';
export * from './on-duty';
export * from './pools';
export * from './swap';
