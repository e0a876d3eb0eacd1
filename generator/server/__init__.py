"""The web application behind ``kpigen serve``: the same library functions as the command line.

Pages (``pages``) and the JSON API (``api``) both call the writer (``generator.workbook.build``),
the validator (``generator.validate``) and regeneration through ``operations``; requests are
checked by ``options`` and ``uploads`` before anything runs. FastAPI and Jinja2 are imported
only here, never on the build, validate or ``--help`` paths.
"""

from generator.server.app import create_app
from generator.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
