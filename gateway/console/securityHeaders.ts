/**
 * The headers every console response carries: what a browser app served with its API needs so that nothing else can
 * run in it, frame it or read it. Scripts only from the console's own origin (no inline script: Vite emits none);
 * inline styles are allowed because the chart library positions its tooltips with style attributes. The API is
 * the same origin (HTTP and graphql-ws); the identity provider's origin is added for the token exchange.
 */
export function consoleSecurityHeaders(identityProviderOrigin: string | null): Record<string, string> {
  const connect = ["'self'", identityProviderOrigin].filter(Boolean).join(' ');
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connect}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The authorization code comes back in the URL: no page of the console sends it on as a referrer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}
