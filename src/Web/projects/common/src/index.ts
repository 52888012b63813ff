// @tf/common: what the shell and the shop share at runtime (one instance of each service, via native federation).
export * from './api/api-types';
export * from './api/api-problem';
export * from './api/api';
export * from './auth/session';
export * from './config/client-settings';
export * from './live/live-connection';
export * from './orders/order-updates';
export * from './payments/payment-settings';
export * from './codes/base45';
export * from './codes/ticket-code';
export * from './codes/device-keys';
export * from './ui/qr-code';
export * from './ui/problem-alert';
export * from './ui/format';
export * from './auth/signed-in.guard';
