"""gunicorn's logger with rater tokens masked (see logmask.py).

gunicorn's access_log_format only chooses atoms; it cannot rewrite one. So `flourish serve`
passes `--logger-class flourish.ops.gunicorn.MaskingLogger`: every atom (request line,
path, referer, any header) is masked before formatting, and the error log gets the same
filter (gunicorn logs the URI of a request that crashed)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from .logmask import MaskTokens, mask


class MaskingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(MaskTokens())
        self.access_log.addFilter(MaskTokens())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()}
