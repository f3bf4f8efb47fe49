//! User pools, app clients and users, built from the seed and checked as the
//! service would check them.

use std::collections::{BTreeMap, HashSet};

use crate::env::Env;
use crate::ops::devices::Device;
use crate::ops::mfa::MfaSettings;
use crate::password_policy::PasswordPolicy;
use crate::seed::{SeedClient, SeedCustomChallenge, SeedDeviceConfiguration, SeedPool, SeedUser};
use crate::srp_server::Verifier;

/// Salt length for user verifiers, as the service uses.
const SALT_BYTES: usize = 16;
const ALIASES: [&str; 3] = ["email", "phone_number", "preferred_username"];
const USERNAME_ATTRIBUTES: [&str; 2] = ["email", "phone_number"];
const FIRST_AUTH_FACTORS: [&str; 4] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
/// The service's default sign-in Session and sign-in code lifetime.
const THREE_MINUTES: u64 = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthFlow {
    UserSrp,
    UserPassword,
    RefreshToken,
    Custom,
    AdminUserPassword,
    UserAuth,
}

impl AuthFlow {
    fn from_allow_name(name: &str) -> Option<Self> {
        Some(match name {
            "ALLOW_USER_SRP_AUTH" => AuthFlow::UserSrp,
            "ALLOW_USER_PASSWORD_AUTH" => AuthFlow::UserPassword,
            "ALLOW_REFRESH_TOKEN_AUTH" => AuthFlow::RefreshToken,
            "ALLOW_CUSTOM_AUTH" => AuthFlow::Custom,
            "ALLOW_ADMIN_USER_PASSWORD_AUTH" => AuthFlow::AdminUserPassword,
            "ALLOW_USER_AUTH" => AuthFlow::UserAuth,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub name: String,
    /// The UserPoolClientType members set through Create/UpdateUserPoolClient
    /// (or from the seed), as DescribeUserPoolClient returns them.
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Unix seconds.
    pub created: u64,
    pub modified: u64,
    pub secret: Option<String>,
    pub flows: HashSet<AuthFlow>,
    /// PreventUserExistenceErrors = ENABLED.
    pub prevent_user_existence_errors: bool,
    pub access_token_validity: u64,
    pub id_token_validity: u64,
    pub refresh_token_validity: u64,
    /// Seconds a sign-in Session lasts (AuthSessionValidity).
    pub auth_session_validity: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Confirmed,
    ForceChangePassword,
    Unconfirmed,
    /// A user created by a sign-in through an external identity provider.
    ExternalProvider,
    /// The password must be reset (ForgotPassword) before signing in.
    ResetRequired,
}

#[derive(Debug, Clone)]
pub struct User {
    /// The internal username: USER_ID_FOR_SRP and `cognito:username`.
    pub username: String,
    pub status: UserStatus,
    pub enabled: bool,
    /// Always holds `sub`.
    pub attributes: BTreeMap<String, String>,
    pub verifier: Verifier,
}

impl User {
    pub fn sub(&self) -> &str {
        &self.attributes["sub"]
    }
}

#[derive(Debug)]
pub struct Pool {
    pub id: String,
    /// The part of the id after `_`, used by the SRP maths.
    pub name: String,
    pub alias_attributes: Vec<String>,
    pub username_attributes: Vec<String>,
    pub required_attributes: Vec<String>,
    pub case_sensitive: bool,
    pub password_policy: PasswordPolicy,
    pub clients: Vec<Client>,
    pub users: Vec<User>,
    /// MFA settings by internal username (users without any are absent).
    pub mfa: BTreeMap<String, MfaSettings>,
    /// CUSTOM_CHALLENGE rules by internal username.
    pub custom_challenges: BTreeMap<String, SeedCustomChallenge>,
    /// The first factors USER_AUTH may offer, from [`FIRST_AUTH_FACTORS`].
    pub allowed_first_auth_factors: Vec<&'static str>,
    /// Seconds a code sent for sign-in can be used.
    pub sign_in_code_validity: u64,
    /// DeviceConfiguration; None: devices are not tracked.
    pub device_configuration: Option<SeedDeviceConfiguration>,
    /// The devices issued at sign-in (confirmed or not yet).
    pub devices: Vec<Device>,
    /// External identity providers of managed login.
    pub identity_providers: Vec<crate::oauth::config::IdentityProvider>,
}

impl Pool {
    pub fn from_seed(seed: SeedPool, env: &mut Env) -> Result<Pool, String> {
        let name = pool_name(&seed.id)?;
        check_sign_in_options(&seed)?;
        let allowed_first_auth_factors = first_auth_factors(&seed)?;
        let identity_providers =
            crate::oauth::config::identity_providers(&seed.id, seed.identity_providers)?;
        let mut pool = Pool {
            identity_providers,
            allowed_first_auth_factors,
            sign_in_code_validity: seed.sign_in_code_validity_seconds.unwrap_or(THREE_MINUTES),
            name: name.to_owned(),
            alias_attributes: seed.alias_attributes,
            username_attributes: seed.username_attributes,
            required_attributes: seed.required_attributes,
            case_sensitive: seed.case_sensitive,
            password_policy: PasswordPolicy::from(&seed.password_policy),
            clients: seed
                .clients
                .into_iter()
                .map(|c| client_from_seed(c, env.now()))
                .collect::<Result<_, _>>()?,
            users: Vec::new(),
            mfa: BTreeMap::new(),
            custom_challenges: BTreeMap::new(),
            device_configuration: seed.device_configuration,
            devices: Vec::new(),
            id: seed.id,
        };
        for mut user in seed.users {
            let mfa = user.mfa.take();
            let custom = user.custom_challenge.take();
            let user = pool.user_from_seed(user, env)?;
            if let Some(custom) = custom {
                pool.custom_challenges.insert(user.username.clone(), custom);
            }
            if let Some(mfa) = mfa {
                let settings = MfaSettings::from_seed(mfa)
                    .map_err(|e| format!("pool {}: user {}: {e}", pool.id, user.username))?;
                pool.mfa.insert(user.username.clone(), settings);
            }
            pool.add_user(user)?;
        }
        crate::oauth::config::check_clients(&pool)?;
        Ok(pool)
    }

    /// The user who signs in as `login`: by username, or by an alias or
    /// username attribute the pool accepts.
    pub fn find_by_login(&self, login: &str) -> Option<&User> {
        let by_name = self
            .users
            .iter()
            .find(|u| self.same_name(&u.username, login));
        by_name.or_else(|| {
            self.users
                .iter()
                .find(|u| self.sign_in_attributes(u).any(|v| self.same_name(v, login)))
        })
    }

    /// Whether `login` names `user` (by username, alias or username attribute).
    pub fn is_login_of(&self, login: &str, user: &User) -> bool {
        self.find_by_login(login)
            .is_some_and(|found| found.username == user.username)
    }

    /// The user with exactly this internal username.
    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }

    pub fn user_mut(&mut self, username: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.username == username)
    }

    /// A fresh verifier for `password`, under a new salt.
    pub fn new_verifier(&self, env: &mut Env, username: &str, password: &str) -> Verifier {
        Verifier::new(&env.bytes(SALT_BYTES), &self.name, username, password)
    }

    fn same_name(&self, a: &str, b: &str) -> bool {
        if self.case_sensitive {
            a == b
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    }

    /// The attribute values this user may sign in with. An email or phone
    /// alias counts only once verified, as in the service.
    fn sign_in_attributes<'a>(&'a self, user: &'a User) -> impl Iterator<Item = &'a str> + 'a {
        let aliases = self
            .alias_attributes
            .iter()
            .filter(|a| alias_is_verified(user, a));
        aliases
            .chain(self.username_attributes.iter())
            .filter_map(|a| user.attributes.get(a).map(String::as_str))
    }

    fn user_from_seed(&self, seed: SeedUser, env: &mut Env) -> Result<User, String> {
        let mut attributes = seed.attributes;
        if !attributes.contains_key("sub") {
            attributes.insert("sub".into(), env.uuid());
        }
        let username = self.internal_username(seed.username, &mut attributes)?;
        Ok(User {
            verifier: self.new_verifier(env, &username, &seed.password),
            status: user_status(&seed.status)?,
            enabled: seed.enabled,
            attributes,
            username,
        })
    }

    /// The seed's username, or in a `usernameAttributes` pool the `sub`
    /// (the seed's username then fills the first username attribute).
    fn internal_username(
        &self,
        seed_name: Option<String>,
        attributes: &mut BTreeMap<String, String>,
    ) -> Result<String, String> {
        let Some(attribute) = self.username_attributes.first() else {
            return seed_name.ok_or_else(|| format!("pool {}: a user has no username", self.id));
        };
        if let Some(name) = seed_name {
            let existing = attributes.entry(attribute.clone()).or_insert(name.clone());
            if *existing != name {
                return Err(format!(
                    "pool {}: user {name} has a different {attribute} attribute",
                    self.id
                ));
            }
        }
        if !self
            .username_attributes
            .iter()
            .any(|a| attributes.contains_key(a))
        {
            return Err(format!(
                "pool {}: each user needs one of {:?}",
                self.id, self.username_attributes
            ));
        }
        Ok(attributes["sub"].clone())
    }

    /// Adds a user whose username, sub and sign-in names are all unused.
    fn add_user(&mut self, user: User) -> Result<(), String> {
        let mut names = vec![user.username.as_str()];
        names.extend(self.sign_in_attributes(&user));
        for name in names {
            if self.find_by_login(name).is_some() {
                return Err(format!(
                    "pool {}: the sign-in name {name} is taken twice",
                    self.id
                ));
            }
        }
        if self.users.iter().any(|u| u.sub() == user.sub()) {
            return Err(format!(
                "pool {}: the sub {} is taken twice",
                self.id,
                user.sub()
            ));
        }
        self.users.push(user);
        Ok(())
    }
}

fn alias_is_verified(user: &User, alias: &str) -> bool {
    match alias {
        "email" | "phone_number" => user
            .attributes
            .get(&format!("{alias}_verified"))
            .is_some_and(|v| v == "true"),
        _ => true,
    }
}

/// `region_Name` -> `Name`.
fn pool_name(id: &str) -> Result<&str, String> {
    match id.split_once('_') {
        Some((region, name))
            if !region.is_empty()
                && !name.is_empty()
                && name.bytes().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Ok(name)
        }
        _ => Err(format!(
            "pool id {id:?} is not <region>_<alphanumeric name>"
        )),
    }
}

fn check_sign_in_options(seed: &SeedPool) -> Result<(), String> {
    let unknown_alias = seed
        .alias_attributes
        .iter()
        .find(|a| !ALIASES.contains(&a.as_str()));
    let unknown_username = seed
        .username_attributes
        .iter()
        .find(|a| !USERNAME_ATTRIBUTES.contains(&a.as_str()));
    if let Some(a) = unknown_alias.or(unknown_username) {
        return Err(format!(
            "pool {}: {a} cannot be a sign-in attribute",
            seed.id
        ));
    }
    if !seed.alias_attributes.is_empty() && !seed.username_attributes.is_empty() {
        return Err(format!(
            "pool {}: aliasAttributes and usernameAttributes exclude each other",
            seed.id
        ));
    }
    Ok(())
}

/// The sign-in policy's factors; PASSWORD must be among them, as in the service.
fn first_auth_factors(seed: &SeedPool) -> Result<Vec<&'static str>, String> {
    let Some(policy) = &seed.sign_in_policy else {
        return Ok(vec!["PASSWORD"]);
    };
    let factors = policy
        .allowed_first_auth_factors
        .iter()
        .map(|name| {
            FIRST_AUTH_FACTORS
                .into_iter()
                .find(|known| known == name)
                .ok_or_else(|| {
                    format!(
                        "pool {}: {name} is not one of the first auth factors {FIRST_AUTH_FACTORS:?}",
                        seed.id
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !factors.contains(&"PASSWORD") {
        return Err(format!(
            "pool {}: allowedFirstAuthFactors must include PASSWORD",
            seed.id
        ));
    }
    Ok(factors)
}

fn client_from_seed(seed: SeedClient, now: u64) -> Result<Client, String> {
    let prevent = match seed.prevent_user_existence_errors.as_deref() {
        None | Some("ENABLED") => true,
        Some("LEGACY") => false,
        Some(other) => {
            return Err(format!(
                "client {}: preventUserExistenceErrors {other:?} is not ENABLED or LEGACY",
                seed.client_id
            ))
        }
    };
    let mut settings = serde_json::Map::new();
    if let Some(flows) = &seed.explicit_auth_flows {
        settings.insert("ExplicitAuthFlows".into(), flows.clone().into());
    }
    let prevent_name = if prevent { "ENABLED" } else { "LEGACY" };
    settings.insert("PreventUserExistenceErrors".into(), prevent_name.into());
    crate::oauth::config::client_settings(&seed, &mut settings)
        .map_err(|e| format!("client {}: {e}", seed.client_id))?;
    Ok(Client {
        flows: auth_flows(seed.explicit_auth_flows.as_deref())
            .map_err(|e| format!("client {}: {e}", seed.client_id))?,
        name: seed.client_name.unwrap_or_else(|| seed.client_id.clone()),
        settings,
        created: now,
        modified: now,
        id: seed.client_id,
        secret: seed.client_secret,
        prevent_user_existence_errors: prevent,
        access_token_validity: seed.access_token_validity_seconds.unwrap_or(3600),
        id_token_validity: seed.id_token_validity_seconds.unwrap_or(3600),
        refresh_token_validity: seed.refresh_token_validity_seconds.unwrap_or(30 * 86_400),
        auth_session_validity: seed.auth_session_validity_seconds.unwrap_or(THREE_MINUTES),
    })
}

/// The flows a client allows. Absent: the service default (SRP, refresh,
/// custom). ALLOW_ names and legacy names must not be mixed.
pub fn auth_flows(names: Option<&[String]>) -> Result<HashSet<AuthFlow>, String> {
    let Some(names) = names else {
        return Ok(legacy_flows(&[]).expect("no names"));
    };
    let allow_names = names.iter().filter(|n| n.starts_with("ALLOW_")).count();
    match allow_names {
        0 => legacy_flows(names),
        n if n == names.len() => names
            .iter()
            .map(|n| AuthFlow::from_allow_name(n).ok_or_else(|| format!("unknown auth flow {n}")))
            .collect(),
        _ => Err("explicitAuthFlows mixes ALLOW_ and legacy values".into()),
    }
}

/// The legacy settings: SRP, refresh and custom auth are always on, except
/// that CUSTOM_AUTH_FLOW_ONLY turns SRP off.
fn legacy_flows(names: &[String]) -> Result<HashSet<AuthFlow>, String> {
    let mut flows = HashSet::from([AuthFlow::UserSrp, AuthFlow::RefreshToken, AuthFlow::Custom]);
    for name in names {
        match name.as_str() {
            "USER_PASSWORD_AUTH" => flows.insert(AuthFlow::UserPassword),
            "ADMIN_NO_SRP_AUTH" => flows.insert(AuthFlow::AdminUserPassword),
            "CUSTOM_AUTH_FLOW_ONLY" => flows.remove(&AuthFlow::UserSrp),
            other => return Err(format!("unknown auth flow {other}")),
        };
    }
    Ok(flows)
}

fn user_status(status: &str) -> Result<UserStatus, String> {
    match status {
        "CONFIRMED" => Ok(UserStatus::Confirmed),
        "FORCE_CHANGE_PASSWORD" => Ok(UserStatus::ForceChangePassword),
        "UNCONFIRMED" => Ok(UserStatus::Unconfirmed),
        "RESET_REQUIRED" => Ok(UserStatus::ResetRequired),
        other => Err(format!(
            "user status {other:?} is not CONFIRMED, FORCE_CHANGE_PASSWORD, UNCONFIRMED or RESET_REQUIRED"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flows_default_and_legacy() {
        let default = auth_flows(None).unwrap();
        assert!(default.contains(&AuthFlow::UserSrp) && default.contains(&AuthFlow::RefreshToken));
        assert!(!default.contains(&AuthFlow::UserPassword));
        let legacy = auth_flows(Some(&names(&["USER_PASSWORD_AUTH"]))).unwrap();
        assert!(legacy.contains(&AuthFlow::UserPassword) && legacy.contains(&AuthFlow::UserSrp));
        let only = auth_flows(Some(&names(&["ALLOW_USER_PASSWORD_AUTH"]))).unwrap();
        assert_eq!(only, HashSet::from([AuthFlow::UserPassword]));
    }

    #[test]
    fn flows_refuse_mixing_and_unknown_names() {
        assert!(auth_flows(Some(&names(&["ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH"]))).is_err());
        assert!(auth_flows(Some(&names(&["ALLOW_NOTHING"]))).is_err());
        assert!(auth_flows(Some(&names(&["NOTHING"]))).is_err());
    }

    #[test]
    fn pool_ids_need_a_region_and_a_name() {
        assert_eq!(pool_name("us-east-1_Abc1").unwrap(), "Abc1");
        assert!(pool_name("nounderscore").is_err());
        assert!(pool_name("us-east-1_").is_err());
        assert!(pool_name("us-east-1_a-b").is_err());
    }
}
