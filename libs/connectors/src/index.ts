export * from './actions/webhook-action';
export * from './http/allowed-hosts';
export * from './http/outbound-http';
