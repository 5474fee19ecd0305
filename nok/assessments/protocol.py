"""The control calls / e-mails and complaints protocol (seed 000) lives in the framework-free
core, :mod:`scoring.control`, so that the documents built without a server print the same
figures and wording; this module keeps the names the web application imports."""

from scoring.control import (
    CALL,
    CHANNEL_UNUSED,
    EMAIL,
    NO_CALLS,
    NO_REGISTER,
    PROTOCOL_SHARES,
    ChannelFigure,
    ComplaintFigure,
    ContactRow,
    ControlProtocol,
    FormProtocol,
    control_protocol,
    format_number,
    protocol_from_control,
    protocol_values,
)

__all__ = [
    "CALL", "CHANNEL_UNUSED", "EMAIL", "NO_CALLS", "NO_REGISTER", "PROTOCOL_SHARES",
    "ChannelFigure", "ComplaintFigure", "ContactRow", "ControlProtocol", "FormProtocol",
    "control_protocol", "format_number", "protocol_from_control", "protocol_values",
]
