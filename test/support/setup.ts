// The AWS SDK warns once per process that Node 20 support ends; it says nothing about our code.
process.env.AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING ??= '1';
