//! Managed-login settings: each app client's OAuth settings and the pools'
//! external identity providers. A client's settings live in its
//! UserPoolClientType members (`CallbackURLs`, `AllowedOAuthFlows`...), so
//! DescribeUserPoolClient shows them and UpdateUserPoolClient changes them.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::pool::{Client, Pool};
use crate::seed::SeedClient;

/// The `identity_provider` of the pool's own users.
pub const COGNITO: &str = "COGNITO";
/// The scopes the service reserves; this endpoint has no resource servers,
/// so no custom scopes.
pub const SCOPES: [&str; 5] = [
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];
/// Scopes that are only granted with `openid`.
pub const OPENID_ONLY: [&str; 3] = ["email", "phone", "profile"];
/// Provider names the service keeps for its social providers.
const SOCIAL: [&str; 4] = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple"];
/// Claims the simulated provider sets itself in its id tokens.
const PROTOCOL_CLAIMS: [&str; 8] = [
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "sub",
    "azp",
];
/// Attributes a provider's claims cannot be mapped to.
const UNMAPPABLE: [&str; 3] = ["sub", "identities", "username"];
const MAX_URL_LENGTH: usize = 1024;

/// A simulated external OIDC provider, as the seed declares it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedIdentityProvider {
    /// The ProviderName, e.g. `ExampleIdP`: users become `<name>_<sub>`.
    pub provider_name: String,
    /// `OIDC` (the only type simulated).
    pub provider_type: String,
    /// IdpIdentifiers: other names `idp_identifier` may pick it by.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// AttributeMapping: user pool attribute -> the provider's claim.
    #[serde(default)]
    pub attribute_mapping: BTreeMap<String, String>,
    /// The provider's own accounts.
    #[serde(default)]
    pub users: Vec<SeedIdpUser>,
}

/// An account at the simulated provider.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedIdpUser {
    pub username: String,
    pub password: String,
    /// The provider's subject for the user; default: the username.
    pub sub: Option<String>,
    /// Claims of the provider's id token (`email`, `name`, ...).
    #[serde(default)]
    pub claims: Map<String, Value>,
}

#[derive(Debug)]
pub struct IdentityProvider {
    pub name: String,
    pub identifiers: Vec<String>,
    /// User pool attribute -> the provider's claim.
    pub attribute_mapping: BTreeMap<String, String>,
    pub users: Vec<IdpUser>,
}

#[derive(Debug)]
pub struct IdpUser {
    pub username: String,
    pub password: String,
    /// The id token claims, `sub` included.
    pub claims: Map<String, Value>,
}

/// The providers of pool `pool_id`, checked.
pub fn identity_providers(
    pool_id: &str,
    seeds: Vec<SeedIdentityProvider>,
) -> Result<Vec<IdentityProvider>, String> {
    let mut names = HashSet::new();
    let mut identifiers = HashSet::new();
    seeds
        .into_iter()
        .map(|seed| {
            let name = seed.provider_name;
            let context =
                |message: String| format!("pool {pool_id}: identity provider {name}: {message}");
            if name.is_empty() || name.chars().count() > 32 || name.contains(char::is_whitespace) {
                return Err(context(
                    "the name must be 1 to 32 characters, no spaces".into(),
                ));
            }
            if name == COGNITO || SOCIAL.contains(&name.as_str()) {
                return Err(context("the name is reserved".into()));
            }
            if seed.provider_type != "OIDC" {
                return Err(context(format!(
                    "providerType {:?}: only OIDC providers are simulated",
                    seed.provider_type
                )));
            }
            if !names.insert(name.clone()) {
                return Err(context("the name is used twice".into()));
            }
            if let Some(taken) = seed
                .identifiers
                .iter()
                .find(|i| !identifiers.insert((*i).clone()))
            {
                return Err(context(format!("the identifier {taken} is used twice")));
            }
            if let Some(attribute) = seed
                .attribute_mapping
                .keys()
                .find(|a| UNMAPPABLE.contains(&a.as_str()))
            {
                return Err(context(format!("{attribute} cannot be mapped")));
            }
            let users = idp_users(seed.users).map_err(context)?;
            Ok(IdentityProvider {
                identifiers: seed.identifiers,
                attribute_mapping: seed.attribute_mapping,
                users,
                name,
            })
        })
        .collect()
}

fn idp_users(seeds: Vec<SeedIdpUser>) -> Result<Vec<IdpUser>, String> {
    let mut usernames = HashSet::new();
    let mut subs = HashSet::new();
    seeds
        .into_iter()
        .map(|seed| {
            if let Some(claim) = seed
                .claims
                .keys()
                .find(|c| PROTOCOL_CLAIMS.contains(&c.as_str()))
            {
                return Err(format!(
                    "user {}: the claim {claim} is the provider's own",
                    seed.username
                ));
            }
            let sub = seed.sub.unwrap_or_else(|| seed.username.clone());
            if !usernames.insert(seed.username.clone()) || !subs.insert(sub.clone()) {
                return Err(format!(
                    "user {}: username or sub used twice",
                    seed.username
                ));
            }
            let mut claims = seed.claims;
            claims.insert("sub".into(), sub.into());
            Ok(IdpUser {
                username: seed.username,
                password: seed.password,
                claims,
            })
        })
        .collect()
}

/// Adds the seed client's OAuth settings to its UserPoolClientType members.
pub fn client_settings(seed: &SeedClient, settings: &mut Map<String, Value>) -> Result<(), String> {
    for (member, urls) in [
        ("CallbackURLs", &seed.callback_urls),
        ("LogoutURLs", &seed.logout_urls),
    ] {
        if let Some(urls) = urls {
            if let Some(bad) = urls.iter().find(|u| !is_redirect_url(u)) {
                return Err(format!(
                    "{bad:?} is not an absolute URL without a fragment (http only for localhost and 127.0.0.1)"
                ));
            }
            settings.insert(member.into(), urls.clone().into());
        }
    }
    if let Some(flows) = &seed.allowed_oauth_flows {
        if let Some(flow) = flows.iter().find(|f| f.as_str() != "code") {
            return Err(match flow.as_str() {
                "implicit" | "client_credentials" => {
                    format!("allowedOAuthFlows: {flow} is not supported here (only code)")
                }
                _ => format!("allowedOAuthFlows: unknown flow {flow}"),
            });
        }
        if !flows.is_empty() && seed.callback_urls.as_ref().map_or(true, Vec::is_empty) {
            return Err("allowedOAuthFlows needs callbackUrls".into());
        }
        settings.insert("AllowedOAuthFlows".into(), flows.clone().into());
        settings.insert(
            "AllowedOAuthFlowsUserPoolClient".into(),
            (!flows.is_empty()).into(),
        );
    }
    if let Some(scopes) = &seed.allowed_oauth_scopes {
        if let Some(scope) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
            return Err(format!(
                "allowedOAuthScopes: {scope} is not one of {SCOPES:?} (no resource servers here)"
            ));
        }
        settings.insert("AllowedOAuthScopes".into(), scopes.clone().into());
    }
    if let Some(providers) = &seed.supported_identity_providers {
        settings.insert(
            "SupportedIdentityProviders".into(),
            providers.clone().into(),
        );
    }
    Ok(())
}

/// Each client's SupportedIdentityProviders are COGNITO or providers of the pool.
pub fn check_clients(pool: &Pool) -> Result<(), String> {
    for client in &pool.clients {
        let settings = ClientOAuth::of(client);
        let unknown = settings.providers.iter().find(|name| {
            name.as_str() != COGNITO && !pool.identity_providers.iter().any(|p| &p.name == *name)
        });
        if let Some(name) = unknown {
            return Err(format!(
                "client {}: supportedIdentityProviders: {name} is neither COGNITO nor an identity provider of pool {}",
                client.id, pool.id
            ));
        }
    }
    Ok(())
}

/// Where the service lets an app be redirected: an absolute URL (an app
/// scheme such as `myapp://` too) without a fragment, HTTPS except for
/// localhost.
fn is_redirect_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let local = host == "localhost" || host == "127.0.0.1";
    scheme_ok
        && !host.is_empty()
        && !url.contains('#')
        && url.len() <= MAX_URL_LENGTH
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && (scheme != "http" || local)
}

/// An app client's OAuth settings.
#[derive(Debug, Default)]
pub struct ClientOAuth {
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub flows: Vec<String>,
    pub scopes: Vec<String>,
    pub providers: Vec<String>,
    /// AllowedOAuthFlowsUserPoolClient.
    pub enabled: bool,
}

impl ClientOAuth {
    pub fn of(client: &Client) -> Self {
        let strings = |member: &str| -> Vec<String> {
            client
                .settings
                .get(member)
                .and_then(Value::as_array)
                .map_or_else(Vec::new, |list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
        };
        ClientOAuth {
            callback_urls: strings("CallbackURLs"),
            logout_urls: strings("LogoutURLs"),
            flows: strings("AllowedOAuthFlows"),
            scopes: strings("AllowedOAuthScopes"),
            providers: strings("SupportedIdentityProviders"),
            enabled: client.settings.get("AllowedOAuthFlowsUserPoolClient")
                == Some(&Value::Bool(true)),
        }
    }

    pub fn allows_flow(&self, flow: &str) -> bool {
        self.enabled && self.flows.iter().any(|f| f == flow)
    }

    pub fn supports(&self, provider: &str) -> bool {
        self.providers.iter().any(|p| p == provider)
    }
}

#[cfg(test)]
mod tests {
    use super::is_redirect_url;

    #[test]
    fn redirect_urls_are_absolute_https_or_local() {
        for good in [
            "https://app.example.com/callback",
            "http://localhost:8080/",
            "http://127.0.0.1:8080/cb?x=1",
            "myapp://signin",
        ] {
            assert!(is_redirect_url(good), "{good}");
        }
        for bad in [
            "/callback",
            "http://app.example.com/",
            "https://app.example.com/#frag",
            "https://",
            "1app://x",
            "https://a b/",
        ] {
            assert!(!is_redirect_url(bad), "{bad}");
        }
    }
}
