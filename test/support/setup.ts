// The AWS SDK warns once per process that Node 20 support ends; it says nothing about our code.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
