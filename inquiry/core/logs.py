"""Logging filters.

A request Django refuses as suspicious (a Host header not in ALLOWED_HOSTS, too many fields, too big a
body) is answered 400 and logged on `django.security.<name>` at ERROR with a traceback. It is the
visitor's mistake (or a scanner's), not ours: one warning line says what was refused, and the log
stays readable. The line is kept (not silenced): a load balancer that sends the wrong Host shows up.
"""

import logging

# Enough to recognise the value; a 10 kB Host header would otherwise be written out twice.
MESSAGE_LIMIT = 300


class SuspiciousRequestLine(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if len(message) > MESSAGE_LIMIT:
            message = f"{message[:MESSAGE_LIMIT]}... ({len(message)} characters)"
        # repr-style escapes keep control characters and line breaks from a header on one log line.
        message = message.encode("unicode_escape").decode("ascii")
        record.msg = "%s (answered 400)"
        record.args = (message,)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        return True
