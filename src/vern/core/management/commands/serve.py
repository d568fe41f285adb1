from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Vern with waitress (pure-Python WSGI server); static files through WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from vern.wsgi import application

        self.stdout.write(f"Vern at http://{options['host']}:{options['port']}/ (Ctrl-C to stop)")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
