import './locale';

export * from './api-views';
export * from './community/lookup';
export * from './community/names';
export * from './community/schema';
export * from './community/validate';
export * from './errors';
export * from './issues/access';
export * from './issues/complaint';
export * from './issues/lifecycle';
export * from './issues/photos';
export * from './issues/schema';
export * from './issues/views';
export * from './qr';
export * from './routing/decide-route';
