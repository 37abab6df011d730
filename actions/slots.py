"""Names of the slots, forms and responses the actions share with `domain.yml`."""

ORDER_ID = "order_id"
SHIPPING_ADDRESS = "shipping_address"
CANCEL_CONFIRMED = "cancel_confirmed"
REFUND_REASON = "refund_reason"
REQUESTED_SLOT = "requested_slot"

UTTER_INVALID_ORDER_ID = "utter_invalid_order_id"
UTTER_INVALID_ADDRESS = "utter_invalid_address"
