export * from './bans';
export * from './complaint-limits';
export * from './login-throttle';
export * from './upload-limits';
