// The AWS SDK warns once per process that Node 20 support ends; it says nothing about our code.
// Handlers log every refused request at INFO; tests keep warnings and errors only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// EMF metric lines stay out of test output; the metrics tests set what they need.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
