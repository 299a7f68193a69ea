export * from './forge-port.ts';
export * from './provenance.ts';
export * from './pull-request.ts';
export * from './review.ts';
