use serde::{Deserialize, Serialize};

use super::Extra;

/// An identity: a user, application, phone number and so on (`microsoft.graph.identity` and its
/// communications subtypes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// `@odata.type`, such as `#microsoft.graph.identity`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// The id: an Entra object id, an application id, or an E.164 number for `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The tenant of the identity (communications identities).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Fields not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl Identity {
    /// An identity with just an id.
    pub fn with_id(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            ..Self::default()
        }
    }
}

/// `identitySet` / `communicationsIdentitySet`: who a participant is. At least one member is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct IdentitySet {
    /// `@odata.type`, such as `#microsoft.graph.identitySet`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// A Teams / Entra user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Identity>,
    /// An application (bot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Identity>,
    /// An application instance (a resource account, which may own a phone number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_instance: Option<Identity>,
    /// A device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Identity>,
    /// A PSTN phone number; its `id` is the number in E.164 form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Identity>,
    /// A guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<Identity>,
    /// An encrypted identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<Identity>,
    /// An on-premises user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises: Option<Identity>,
    /// An Azure Communication Services user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_communication_services_user: Option<Identity>,
    /// The identity asserted to the callee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asserted_identity: Option<Identity>,
    /// Members not modelled here (future identity kinds), kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl IdentitySet {
    /// The modelled members with their wire names, in declaration order.
    pub fn members(&self) -> impl Iterator<Item = (&'static str, &Identity)> {
        [
            ("user", &self.user),
            ("application", &self.application),
            ("applicationInstance", &self.application_instance),
            ("device", &self.device),
            ("phone", &self.phone),
            ("guest", &self.guest),
            ("encrypted", &self.encrypted),
            ("onPremises", &self.on_premises),
            (
                "azureCommunicationServicesUser",
                &self.azure_communication_services_user,
            ),
            ("assertedIdentity", &self.asserted_identity),
        ]
        .into_iter()
        .filter_map(|(name, member)| member.as_ref().map(|m| (name, m)))
    }

    /// Whether no member is set: no modelled member and no unknown object-valued member.
    pub fn is_empty(&self) -> bool {
        self.members().next().is_none() && !self.extra.values().any(|v| v.is_object())
    }
}
