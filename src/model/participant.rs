use serde::{Deserialize, Serialize};

use super::open_enum::open_enum;
use super::{Extra, Identity, IdentitySet};

open_enum! {
    /// `endpointType`: the kind of endpoint a participant uses.
    pub enum EndpointType {
        /// A regular endpoint.
        Default = "default",
        /// Voicemail.
        Voicemail = "voicemail",
        /// Skype for Business.
        SkypeForBusiness = "skypeForBusiness",
        /// A Skype for Business VoIP phone.
        SkypeForBusinessVoipPhone = "skypeForBusinessVoipPhone",
        /// Graph's evolvable-enum sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

/// `invitationParticipantInfo`: whom to transfer to (`transferTarget`, or `target` in the 2018 beta).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InvitationParticipantInfo {
    /// `@odata.type`, usually `#microsoft.graph.invitationParticipantInfo`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// Who the target is. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySet>,
    /// The target's endpoint type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "EndpointType"))]
    pub endpoint_type: Option<EndpointType>,
    /// Consultative transfer: the id of the bot's call with the target, which the transfer replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces_call_id: Option<String>,
    /// The language culture string (PSTN targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
    /// The participant's region (PSTN targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Whether the participant is hidden from the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// The participant id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// Fields not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl InvitationParticipantInfo {
    /// A target with the given identity set.
    pub fn new(identity: IdentitySet) -> Self {
        Self {
            identity: Some(identity),
            ..Self::default()
        }
    }

    /// A Teams user, by Entra object id (blind transfer to a person).
    pub fn teams_user(user_id: impl Into<String>) -> Self {
        Self::new(IdentitySet {
            user: Some(Identity::with_id(user_id)),
            ..IdentitySet::default()
        })
    }

    /// A PSTN phone number in E.164 form, such as `+12345678901`. Graph requires the bot to be an
    /// application instance with a phone number for this.
    pub fn phone(e164: impl Into<String>) -> Self {
        Self::new(IdentitySet {
            phone: Some(Identity {
                odata_type: Some("#microsoft.graph.identity".to_owned()),
                ..Identity::with_id(e164)
            }),
            ..IdentitySet::default()
        })
    }

    /// An application instance (a resource account such as an auto attendant or call queue).
    pub fn application_instance(id: impl Into<String>) -> Self {
        Self::new(IdentitySet {
            application_instance: Some(Identity::with_id(id)),
            ..IdentitySet::default()
        })
    }

    /// An application (another bot), by app id.
    pub fn application(app_id: impl Into<String>) -> Self {
        Self::new(IdentitySet {
            application: Some(Identity::with_id(app_id)),
            ..IdentitySet::default()
        })
    }

    /// Sets `endpointType`.
    #[must_use]
    pub fn with_endpoint_type(mut self, endpoint_type: EndpointType) -> Self {
        self.endpoint_type = Some(endpoint_type);
        self
    }

    /// Makes this a consultative transfer replacing the bot's call `call_id` with the target.
    #[must_use]
    pub fn replacing(mut self, call_id: impl Into<String>) -> Self {
        self.replaces_call_id = Some(call_id.into());
        self
    }

    /// Sets `languageId` and `region` (PSTN targets).
    #[must_use]
    pub fn with_locale(
        mut self,
        language_id: impl Into<String>,
        region: impl Into<String>,
    ) -> Self {
        self.language_id = Some(language_id.into());
        self.region = Some(region.into());
        self
    }
}

/// `participantInfo`: used as `transferee` when transferring from a group call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ParticipantInfo {
    /// `@odata.type`, usually `#microsoft.graph.participantInfo`.
    #[serde(
        rename = "@odata.type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub odata_type: Option<String>,
    /// Who the participant is. Required for a transferee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentitySet>,
    /// The participant id in the group call. Required for a transferee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// The endpoint type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "EndpointType"))]
    pub endpoint_type: Option<EndpointType>,
    /// ISO 3166-1 alpha-2 country code of the participant's location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// The language culture string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
    /// The home region of the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The client platform id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<String>,
    /// Fields not modelled here, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "super::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub extra: Extra,
}

impl ParticipantInfo {
    /// A transferee: the participant `participant_id` of a group call, with its identity.
    pub fn transferee(identity: IdentitySet, participant_id: impl Into<String>) -> Self {
        Self {
            identity: Some(identity),
            participant_id: Some(participant_id.into()),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_type_round_trips_every_variant_and_unknown_values() {
        for variant in EndpointType::KNOWN {
            let json = serde_json::to_string(variant).unwrap();
            assert_eq!(
                serde_json::from_str::<EndpointType>(&json).unwrap(),
                *variant
            );
        }
        let unknown: EndpointType = serde_json::from_str("\"holoLens\"").unwrap();
        assert_eq!(unknown, EndpointType::Unknown("holoLens".into()));
        assert!(unknown.is_unknown());
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"holoLens\"");
    }

    #[test]
    fn invitation_participant_info_round_trips_with_unknown_fields() {
        let text = r##"{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","user":{"@odata.type":"#microsoft.graph.identity","id":"u","displayName":"D","tenantId":"t","x":1}},"endpointType":"voicemail","replacesCallId":"r","languageId":"l","region":"g","hidden":true,"participantId":"p","future":[null]}"##;
        let parsed: InvitationParticipantInfo = serde_json::from_str(text).unwrap();
        assert_eq!(parsed.endpoint_type, Some(EndpointType::Voicemail));
        assert_eq!(parsed.hidden, Some(true));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
    }
}
