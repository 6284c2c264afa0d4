// `graph-call-transfer/simulator`: see js/simulate.d.ts.
export * from './simulate.js';
