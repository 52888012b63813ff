// A real OIDC issuer for the tests and local runs: oidc-provider (npm) on loopback, with the accounts of accounts.json,
// JWT access tokens for the TicketFlash API (resource indicators), the public web client (authorization code + PKCE)
// and a confidential client for client_credentials. Development login pages (devInteractions): any password.
//
//   node issuer.mjs --port 26410 [--issuer http://127.0.0.1:26410] [--keys keys.json] [--accounts accounts.json]
//                   [--redirect-uri http://127.0.0.1:5080/ ...] [--ttl 300]
//
// --keys: a JWKS file with private keys; the first key signs. Missing: one RSA key is made and written there.
// Key rotation: restart with a keys file whose first key is new (see tests/.../Auth/OidcIssuer.cs).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Provider, { errors } from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '26410' },
    issuer: { type: 'string' },
    keys: { type: 'string' },
    accounts: { type: 'string', default: join(here, 'accounts.json') },
    'redirect-uri': { type: 'string', multiple: true, default: ['http://127.0.0.1:5080/'] },
    ttl: { type: 'string', default: '300' },
  },
});
const port = Number(opts.port);
const issuer = opts.issuer ?? `http://127.0.0.1:${port}`;

/** The resource indicator of the TicketFlash API and the audience its tokens carry; `urn:other` is some other API. */
const resourceServers = {
  'urn:ticketflash': { audience: 'ticketflash', scope: 'api' },
  'urn:other': { audience: 'other-api', scope: 'api' },
};

function loadKeys() {
  if (opts.keys && existsSync(opts.keys)) return JSON.parse(readFileSync(opts.keys, 'utf8'));
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const jwks = { keys: [{ ...jwk, kid: randomUUID(), use: 'sig', alg: 'RS256' }] };
  if (opts.keys) writeFileSync(opts.keys, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

const accounts = JSON.parse(readFileSync(opts.accounts, 'utf8'));
const redirectUris = opts['redirect-uri'];

const provider = new Provider(issuer, {
  jwks: loadKeys(),
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  clients: [
    {
      client_id: 'ticketflash-web',
      token_endpoint_auth_method: 'none', // public: PKCE (S256) is required for it
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: redirectUris,
    },
    {
      client_id: 'ticketflash-tests',
      client_secret: 'ticketflash-tests-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  claims: { openid: ['sub'], profile: ['name'] },
  scopes: ['openid', 'profile', 'offline_access'], // 'api' is the resource server's scope, not an OIDC one
  findAccount: (ctx, sub) => {
    const account = accounts[sub];
    if (!account) return undefined; // unknown logins are refused
    return { accountId: sub, claims: () => ({ sub, name: account.name ?? sub }) };
  },
  // The API reads identity from the access token alone: roles (flat claim) and tenant ride on it.
  extraTokenClaims: (ctx, token) => {
    const account = token.accountId ? accounts[token.accountId] : undefined;
    if (!account) return undefined;
    return { roles: account.roles ?? [], ...(account.tenant ? { tenant: account.tenant } : {}) };
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:ticketflash',
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        const server = resourceServers[indicator];
        if (!server) throw new errors.InvalidTarget();
        return { ...server, accessTokenFormat: 'jwt', accessTokenTTL: Number(opts.ttl), jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  // First-party clients: no consent page for the scopes and resource they ask for.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile offline_access');
    grant.addOIDCClaims(['name']);
    for (const indicator of Object.keys(resourceServers)) grant.addResourceScope(indicator, 'api');
    await grant.save();
    return grant;
  },
  ttl: { AccessToken: Number(opts.ttl), IdToken: 3600, Session: 3600, Grant: 3600, Interaction: 600 },
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider issuer ${issuer} listening on 127.0.0.1:${port}`));
