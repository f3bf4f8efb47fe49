// The app page of oauth-endpoint.test.mjs: the reference OIDC client
// (oidc-client-ts), bundled by esbuild for the browser, as window.oidc.
import { OidcClient, UserManager, WebStorageStateStore } from 'oidc-client-ts';

window.oidc = { OidcClient, UserManager, WebStorageStateStore };
