"""Names of the slots, forms and responses the actions share with `domain.yml`."""

# --- flow slots -----------------------------------------------------------------------------
ORDER_ID = "order_id"
SHIPPING_ADDRESS = "shipping_address"
CANCEL_CONFIRMED = "cancel_confirmed"
REFUND_REASON = "refund_reason"
EMAIL = "email"
REQUESTED_SLOT = "requested_slot"

# --- who the assistant is talking to (the lead's shared slot contract) -----------------------
CUSTOMER_ID = "customer_id"
CUSTOMER_FIRST_NAME = "customer_first_name"
SEGMENT = "segment"
TIER = "tier"
VERIFIED = "verified"
IDENTITY_SOURCE = "identity_source"
OPEN_ORDER_IDS = "open_order_ids"
LAST_ORDER_ID = "last_order_id"
PENDING_ACTION = "pending_action"

# Set together from one profile; cleared together when the identity is not (or no longer) valid.
IDENTITY_SLOTS = (
    CUSTOMER_ID,
    CUSTOMER_FIRST_NAME,
    SEGMENT,
    TIER,
    VERIFIED,
    IDENTITY_SOURCE,
    OPEN_ORDER_IDS,
    LAST_ORDER_ID,
)

# --- clarification, handoff and satisfaction --------------------------------------------------
# What the assistant last offered that a yes/no answers: a human after repeated failures, a
# follow-up ticket outside business hours, or a human after a valued customer's complaint.
HANDOFF_OFFER = "handoff_offer"
OFFER_REPEATED_FAILURE = "repeated_failure"
OFFER_AFTER_HOURS = "after_hours"
OFFER_COMPLAINT = "complaint"
OFFER_ESCALATION_RISK = "escalation_risk"
CSAT_DUE = "csat_due"
CSAT_RATING = "csat_rating"
CSAT_COMMENT = "csat_comment"
CSAT_FORM = "csat_form"

# --- in-chat verification -------------------------------------------------------------------
VERIFICATION_ATTEMPTS = "verification_attempts"
VERIFICATION_OFFERED = "verification_offered"
# Slots that belong to one session and are never carried over into the next one.
SESSION_ONLY_SLOTS = (
    *IDENTITY_SLOTS,
    PENDING_ACTION,
    VERIFICATION_ATTEMPTS,
    VERIFICATION_OFFERED,
    EMAIL,
    HANDOFF_OFFER,
    CSAT_DUE,
    CSAT_RATING,
    CSAT_COMMENT,
)
# Rasa puts the metadata of the message that started the session here.
SESSION_STARTED_METADATA = "session_started_metadata"

# --- forms ----------------------------------------------------------------------------------
TRACK_ORDER_FORM = "track_order_form"
CANCEL_ORDER_FORM = "cancel_order_form"
CHANGE_ADDRESS_FORM = "change_address_form"
VERIFY_IDENTITY_FORM = "verify_identity_form"

# --- responses ------------------------------------------------------------------------------
UTTER_INVALID_ORDER_ID = "utter_invalid_order_id"
UTTER_INVALID_ADDRESS = "utter_invalid_address"
UTTER_INVALID_EMAIL = "utter_invalid_email"
UTTER_ORDER_NOT_FOUND = "utter_order_not_on_account"  # shared with the refund flows
UTTER_ASK_WHICH_ORDER = "utter_ask_which_order"
UTTER_CANNOT_CANCEL_ORDER = "utter_cannot_cancel_order"
UTTER_CANNOT_CHANGE_ADDRESS = "utter_cannot_change_address"
UTTER_VERIFICATION_FAILED = "utter_verification_failed"
UTTER_VERIFICATION_FAILED_FINAL = "utter_verification_failed_final"
UTTER_VERIFIED = "utter_verified"
UTTER_OFFER_HUMAN_HANDOFF = "utter_offer_human_handoff"
UTTER_DELAY_APOLOGY = "utter_delay_apology"
