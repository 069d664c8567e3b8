// Client settings for an AWS service: the real one by default, a local stand-in when the local
// stack gives an endpoint (with dummy credentials, so nothing local can ever reach an account).
export function localEndpoint(endpoint: string | undefined) {
  return endpoint ? { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
}
