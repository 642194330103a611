"""gunicorn settings, read automatically when gunicorn starts in this folder.

The access log names the method, the path without its query string, the status, the size and
the time taken: never the client's address, user agent or referrer, which are personal data
that a seized or leaked log would give away (DESIGN invariant 2)."""

accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Paths that carry one-time tokens are logged with the token replaced.
logger_class = "alongside.lib.gunicorn_logging.RedactingLogger"
