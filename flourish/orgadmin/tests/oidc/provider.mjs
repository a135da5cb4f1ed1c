// A real OpenID Connect provider (the `oidc-provider` package) for Flourish's sign-in tests.
// Test-only. Configured from the environment by flourish/orgadmin/tests/oidc_fixtures.py:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
//   OIDC_ACCOUNTS  JSON {login: {email, email_verified, given_name, family_name}}
// Its built-in development login page accepts any password for a login in OIDC_ACCOUNTS.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
  },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['flourish-tests-only'] },
});
provider.proxy = false;
process.on('SIGTERM', () => process.exit(0));
provider.listen(port, '127.0.0.1', () => { console.log(`ready ${port}`); });
