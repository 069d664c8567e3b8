// The metric catalogue lives beside the core's metrics port (the Lambdas emit by these names); the
// alarms and the dashboard read the same list from here. lib may import functions/, not the reverse.
export * from '../functions/core/ports/metric-names.js';
