/**
 * The grant and token type names of the token endpoint (RFC 6749 §4.4, RFC 8693 §3). Plain
 * constants (no schema library), so the SDK can share them.
 */
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
