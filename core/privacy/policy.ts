/**
 * The version of the personal-data processing policy a consent refers to (152-ФЗ): when the text in
 * locales/ (`privacy.policy`) changes in substance, bump this so new consents name the text they accepted.
 */
export const CONSENT_POLICY_VERSION = '2026-11-25';
